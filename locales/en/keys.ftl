# Sealed mode: the unlock page a sealed server shows until an administrator unlocks it.
keys-unlock-title = Unlock Amparo
keys-unlock-intro = This server keeps its key sealed with a passphrase. Until an administrator enters it, no one can sign in and no data can be read.
keys-unlock-passphrase = Unlock passphrase
keys-unlock-submit = Unlock
keys-unlock-hint = Only administrators have the passphrase. If you are not one, please try again later or contact your administrator.
keys-unlock-locked = The server is locked. An administrator must unlock it before anyone can use it.
keys-unlock-wrong = That passphrase does not open the key. Check it and try again.
keys-unlock-too-many = Too many attempts from this address. Please wait a few minutes before trying again.
keys-unlock-expired = The form expired. Please enter the passphrase again.
keys-unlock-unusable = The sealed key cannot be used. Check the server's log and the key directory.
