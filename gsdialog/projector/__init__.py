"""The facilitator's projector app (Textual)."""
