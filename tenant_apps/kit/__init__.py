"""The town's communication kit: poster and flyer PDFs with a QR code to its form, ready
texts for agencies, porteurs and prescribers, an image for social networks, an embed snippet."""
