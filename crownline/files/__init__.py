"""Files on an order: scans, photos, PDFs and scanner exports, checked by content, stored
through Django's storage API, previewed, and downloaded only through an authorized request."""
