"""One module per bounded context; each exports ROUTES. Shared here: the body types."""

import msgspec

# Bodies are typed in the route modules and validated again, with the business rules, in
# SQL. Optional fields are UNSET when not sent, so the function sees only what the client
# sent (rpc.fields leaves them out); a null that is sent clears an optional field in a PATCH.
Unset = msgspec.UnsetType
UNSET = msgspec.UNSET


class Empty(msgspec.Struct, forbid_unknown_fields=True):
    """The body of an action that takes none: absent, or `{}`."""
