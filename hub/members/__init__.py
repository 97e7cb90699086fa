"""Members: a firm's people and their roles, invitations by e-mail, park operators."""
