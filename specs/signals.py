from django.dispatch import Signal

# Sent inside the upload transaction, after a new version is stored and the spec row is locked;
# reviews listens (workflow "new version", RACI seeding) without specs depending on reviews.
# Arguments: spec, version, uploaded_by.
version_uploaded = Signal()
