"""The words of `gsdialog doctor`, the facilitator's check at the venue.

Kept beside i18n.py (which merges them into STRINGS) so that module stays
small; the same test checks that both languages have the same keys.
"""

from __future__ import annotations

DOCTOR: dict[str, dict[str, str]] = {
    "nl": {
        "doctor_title": "gsdialog doctor: is deze laptop klaar voor een workshop op deze plek? "
                        "Deze test verandert niets aan je laptop.",
        "doctor_versions": "gsdialog {version}, Python {python}, {system}.",
        "doctor_heading_screen": "Het scherm",
        "doctor_heading_data": "De gegevens",
        "doctor_heading_network": "Het netwerk",
        "doctor_heading_phone": "De echte test: jouw telefoon",
        "doctor_size_ok": "Het venster is {width} × {height} tekens. Dat is groot genoeg (minstens 100 × 30).",
        "doctor_size_bad": "Het venster is {width} × {height} tekens. gsdialog heeft minstens 100 × 30 nodig.",
        "doctor_size_todo": "Maak het venster groter (maximaliseer het). Of maak de letters kleiner: "
                            "Ctrl en min (op een Mac: Cmd en min).",
        "doctor_size_unknown": "De grootte van het venster is hier niet te zien: de uitvoer gaat niet naar een venster.",
        "doctor_colours_ok": "Het venster toont alle kleuren die gsdialog gebruikt.",
        "doctor_colours_few": "Het venster toont maar 16 kleuren. De QR-code kan dan verkeerd uitkomen.",
        "doctor_colours_none": "Het venster toont geen kleuren.",
        "doctor_colours_todo": "Gebruik Windows Terminal (op Windows) of iTerm2 (op een Mac).",
        "doctor_colours_unknown": "De kleuren zijn hier niet te zien: de uitvoer gaat niet naar een venster.",
        "doctor_digits": "Zo zien de grote cijfers eruit. Zijn ze heel, zonder gaten of losse strepen?",
        "doctor_digits_todo": "Niet heel? Kies een ander lettertype (bijvoorbeeld Menlo of Cascadia Mono) "
                              "en zet de regelafstand op 1.",
        "doctor_cannot_draw": "Grote cijfers en een QR-code kunnen hier niet getekend worden: "
                              "deze uitvoer kent alleen de tekens van {encoding}.",
        "doctor_data_folder": "De map met de gegevens: {path}",
        "doctor_data_writable": "In die map kan gsdialog schrijven.",
        "doctor_data_not_yet": "Die map is er nog niet. gsdialog maakt hem bij de eerste workshop; dat kan.",
        "doctor_data_not_writable": "In die map kan gsdialog niet schrijven ({error}).",
        "doctor_data_todo": "Kies een andere map, bijvoorbeeld in je Documenten: gsdialog run --data MAP.",
        "doctor_free_ok": "Vrije ruimte: {free}.",
        "doctor_free_low": "Bijna geen vrije ruimte: {free}.",
        "doctor_free_todo": "Maak ruimte vrij: minstens 100 MB.",
        "doctor_free_unknown": "De vrije ruimte is niet te zien ({error}).",
        "doctor_no_network": "Deze laptop zit op geen enkel netwerk.",
        "doctor_no_network_todo": "Maak verbinding met de wifi van de locatie, of met de hotspot van je telefoon. "
                                  "Doe dan deze test opnieuw.",
        "doctor_join": "Telefoons gaan naar {address} ({interface}): {why}",
        "doctor_join_doubt": "Telefoons gaan naar {address} ({interface}), maar dat is {why}",
        "doctor_join_doubt_todo": "Zet de VPN uit en maak verbinding met de wifi van de locatie. "
                                  "Doe dan deze test opnieuw.",
        "doctor_not": "Niet {address} ({interface}): {why}",
        "doctor_why_default_route": "over dat adres gaat het internet van deze laptop.",
        "doctor_why_lan": "een gewoon netwerk.",
        "doctor_why_other_lan": "nog een netwerk, maar het internet gaat via {join}.",
        "doctor_why_vpn": "een VPN. Telefoons in de zaal kunnen daar niet bij.",
        "doctor_why_virtual": "een virtueel netwerk (zoals Docker of een virtuele computer), alleen binnen deze laptop.",
        "doctor_why_link_local": "een noodadres (169.254…): geen netwerk gaf de laptop een adres.",
        "doctor_port_free": "Poort {port} is vrij.",
        "doctor_port_taken": "Poort {port} is bezet. Misschien draait gsdialog al.",
        "doctor_port_taken_todo": "Sluit dat programma. Of kies een andere poort: gsdialog doctor --port {other}, "
                                  "en later gsdialog run --port {other}.",
        "doctor_port_error": "Poort {port} kan niet gebruikt worden: {error}.",
        "doctor_profile_private": "Windows ziet {interface} als een privénetwerk. Daar laat de firewall telefoons eerder door.",
        "doctor_profile_public": "Windows ziet {interface} als een openbaar netwerk. Daar houdt de firewall telefoons vaak tegen.",
        "doctor_profile_public_todo": "Maak er een privénetwerk van: Instellingen, Netwerk en internet, {interface}, "
                                      "Privénetwerk. Mag dat niet zonder beheerder? Vraag je ICT-afdeling.",
        "doctor_profile_domain": "Windows ziet {interface} als het netwerk van je organisatie. Dan bepaalt je "
                                 "organisatie wat de firewall doorlaat.",
        "doctor_profiles": "De netwerken volgens Windows: {profiles}.",
        "doctor_firewall_allows": "De firewall laat deze Python door ({program}).",
        "doctor_firewall_no_rule": "Geen regel in de firewall laat deze Python door ({program}).",
        "doctor_firewall_no_rule_todo": "Windows vraagt het als gsdialog de eerste keer start. Kies dan Toestaan, "
                                        "bij Privénetwerken. Vraagt het om een beheerder? Vraag je ICT-afdeling.",
        "doctor_firewall_unknown": "De firewall is niet te zien zonder beheerdersrechten. De telefoontest hieronder "
                                   "laat zien of hij telefoons doorlaat.",
        "doctor_phone_scan": "Zet je telefoon op dezelfde wifi als deze laptop. Scan dan deze QR-code. "
                             "Of typ het adres in je browser: {url}",
        "doctor_phone_waiting": "Ik wacht hoogstens {seconds} seconden op je telefoon. (Ctrl+C stopt.)",
        "doctor_phone_ok": "Je telefoon bereikte deze laptop op {address} ({interface}) in {ms} ms.",
        "doctor_phone_ok_plain": "Je telefoon bereikte deze laptop op {address} ({interface}).",
        "doctor_phone_none": "Geen telefoon gezien in {seconds} seconden.",
        "doctor_phone_skipped": "De telefoontest is overgeslagen.",
        "doctor_phone_stopped": "De telefoontest is gestopt.",
        "doctor_causes": "Wat kan de oorzaak zijn:",
        "doctor_cause_network": "De telefoon zit op een ander netwerk (mobiele data, of een andere wifi). "
                                "Zet hem op dezelfde wifi als de laptop.",
        "doctor_cause_isolation": "De wifi houdt apparaten uit elkaar (client isolation; vaak bij een gastnetwerk). "
                                  "Vraag de locatie om een ander netwerk.",
        "doctor_cause_firewall": "De firewall van de laptop houdt de telefoon tegen. "
                                 "Vraagt de laptop of Python verbinding mag maken? Zeg dan ja.",
        "doctor_hotspot": "Wat bijna altijd werkt: zet de hotspot van je telefoon aan. Verbind de laptop daarmee "
                          "en doe deze test opnieuw. Let op: dan moeten alle telefoons in de zaal op die hotspot, "
                          "en een hotspot neemt er vaak maar 5 tot 10.",
        "doctor_page_title": "gsdialog: test",
        "doctor_page_ok": "Gelukt! Deze telefoon bereikte de laptop op {address} ({interface}) in {ms} ms.",
        "doctor_page_ok_plain": "Gelukt! Deze telefoon bereikte de laptop op {address} ({interface}).",
        "doctor_page_close": "Je kunt deze pagina sluiten. Kijk nu op de laptop.",
        "doctor_page_self": "Deze pagina is geopend op de laptop zelf. Dat telt niet: scan de code met je telefoon.",
        "doctor_ready": "Alles klaar: telefoons kunnen deze laptop hier bereiken. Start de workshop met: {command}",
        "doctor_not_ready": "Nog niet klaar. Los eerst de punten met {bad} op. Doe dan deze test opnieuw.",
        "doctor_not_tested": "Nog niet zeker: zonder de telefoontest is niet te zien of telefoons deze laptop "
                             "bereiken. Doe de test met: gsdialog doctor",
    },
    "en": {
        "doctor_title": "gsdialog doctor: is this laptop ready for a workshop here? "
                        "This check changes nothing on your laptop.",
        "doctor_versions": "gsdialog {version}, Python {python}, {system}.",
        "doctor_heading_screen": "The screen",
        "doctor_heading_data": "The data",
        "doctor_heading_network": "The network",
        "doctor_heading_phone": "The real test: your phone",
        "doctor_size_ok": "The window is {width} × {height} characters. That is big enough (at least 100 × 30).",
        "doctor_size_bad": "The window is {width} × {height} characters. gsdialog needs at least 100 × 30.",
        "doctor_size_todo": "Make the window bigger (maximise it). Or make the letters smaller: "
                            "Ctrl and minus (on a Mac: Cmd and minus).",
        "doctor_size_unknown": "The window's size cannot be seen here: the output does not go to a window.",
        "doctor_colours_ok": "The window shows all the colours gsdialog uses.",
        "doctor_colours_few": "The window shows only 16 colours. The QR code may come out wrong.",
        "doctor_colours_none": "The window shows no colours.",
        "doctor_colours_todo": "Use Windows Terminal (on Windows) or iTerm2 (on a Mac).",
        "doctor_colours_unknown": "The colours cannot be seen here: the output does not go to a window.",
        "doctor_digits": "This is how the big digits look. Are they whole, without gaps or loose lines?",
        "doctor_digits_todo": "Not whole? Choose another font (for example Menlo or Cascadia Mono) "
                              "and set the line spacing to 1.",
        "doctor_cannot_draw": "Big digits and a QR code cannot be drawn here: "
                              "this output knows only the characters of {encoding}.",
        "doctor_data_folder": "The data folder: {path}",
        "doctor_data_writable": "gsdialog can write in that folder.",
        "doctor_data_not_yet": "That folder does not exist yet. gsdialog makes it at the first workshop; it can.",
        "doctor_data_not_writable": "gsdialog cannot write in that folder ({error}).",
        "doctor_data_todo": "Choose another folder, for example in your Documents: gsdialog run --data FOLDER.",
        "doctor_free_ok": "Free space: {free}.",
        "doctor_free_low": "Almost no free space: {free}.",
        "doctor_free_todo": "Make room: at least 100 MB.",
        "doctor_free_unknown": "The free space cannot be seen ({error}).",
        "doctor_no_network": "This laptop is on no network at all.",
        "doctor_no_network_todo": "Connect to the venue's Wi-Fi, or to your phone's hotspot. "
                                  "Then run this check again.",
        "doctor_join": "Phones are sent to {address} ({interface}): {why}",
        "doctor_join_doubt": "Phones are sent to {address} ({interface}), but that is {why}",
        "doctor_join_doubt_todo": "Turn the VPN off and connect to the venue's Wi-Fi. Then run this check again.",
        "doctor_not": "Not {address} ({interface}): {why}",
        "doctor_why_default_route": "this laptop reaches the internet through that address.",
        "doctor_why_lan": "an ordinary network.",
        "doctor_why_other_lan": "another network, but the internet goes through {join}.",
        "doctor_why_vpn": "a VPN. Phones in the room cannot reach it.",
        "doctor_why_virtual": "a virtual network (such as Docker or a virtual machine), only inside this laptop.",
        "doctor_why_link_local": "a fallback address (169.254…): no network gave the laptop an address.",
        "doctor_port_free": "Port {port} is free.",
        "doctor_port_taken": "Port {port} is taken. Perhaps gsdialog is running already.",
        "doctor_port_taken_todo": "Close that program. Or choose another port: gsdialog doctor --port {other}, "
                                  "and later gsdialog run --port {other}.",
        "doctor_port_error": "Port {port} cannot be used: {error}.",
        "doctor_profile_private": "Windows treats {interface} as a private network. There the firewall lets phones in more readily.",
        "doctor_profile_public": "Windows treats {interface} as a public network. There the firewall often stops phones.",
        "doctor_profile_public_todo": "Make it a private network: Settings, Network & internet, {interface}, "
                                      "Private network. Not allowed without an administrator? Ask your IT department.",
        "doctor_profile_domain": "Windows treats {interface} as your organisation's network. Then your organisation "
                                 "decides what the firewall lets in.",
        "doctor_profiles": "The networks as Windows sees them: {profiles}.",
        "doctor_firewall_allows": "The firewall lets this Python in ({program}).",
        "doctor_firewall_no_rule": "No firewall rule lets this Python in ({program}).",
        "doctor_firewall_no_rule_todo": "Windows asks when gsdialog first starts. Then choose Allow, for private "
                                        "networks. Does it ask for an administrator? Ask your IT department.",
        "doctor_firewall_unknown": "The firewall cannot be seen without administrator rights. The phone test below "
                                   "shows whether it lets phones in.",
        "doctor_phone_scan": "Put your phone on the same Wi-Fi as this laptop. Then scan this QR code. "
                             "Or type the address in your browser: {url}",
        "doctor_phone_waiting": "Waiting at most {seconds} seconds for your phone. (Ctrl+C stops.)",
        "doctor_phone_ok": "Your phone reached this laptop at {address} ({interface}) in {ms} ms.",
        "doctor_phone_ok_plain": "Your phone reached this laptop at {address} ({interface}).",
        "doctor_phone_none": "No phone came in {seconds} seconds.",
        "doctor_phone_skipped": "The phone test was skipped.",
        "doctor_phone_stopped": "The phone test was stopped.",
        "doctor_causes": "What the cause may be:",
        "doctor_cause_network": "The phone is on another network (mobile data, or another Wi-Fi). "
                                "Put it on the same Wi-Fi as the laptop.",
        "doctor_cause_isolation": "The Wi-Fi keeps devices apart (client isolation; usual on a guest network). "
                                  "Ask the venue for another network.",
        "doctor_cause_firewall": "The laptop's firewall stops the phone. "
                                 "Does the laptop ask whether Python may connect? Then say yes.",
        "doctor_hotspot": "What almost always works: turn on your phone's hotspot. Connect the laptop to it "
                          "and run this check again. Mind: then every phone in the room must join that hotspot, "
                          "and a hotspot often takes only 5 to 10.",
        "doctor_page_title": "gsdialog: test",
        "doctor_page_ok": "It works! This phone reached the laptop at {address} ({interface}) in {ms} ms.",
        "doctor_page_ok_plain": "It works! This phone reached the laptop at {address} ({interface}).",
        "doctor_page_close": "You can close this page. Now look at the laptop.",
        "doctor_page_self": "This page was opened on the laptop itself. That does not count: scan the code with your phone.",
        "doctor_ready": "All set: phones can reach this laptop here. Start the workshop with: {command}",
        "doctor_not_ready": "Not ready yet. First solve the points marked {bad}. Then run this check again.",
        "doctor_not_tested": "Not sure yet: without the phone test there is no telling whether phones reach "
                             "this laptop. Run the test with: gsdialog doctor",
    },
}
