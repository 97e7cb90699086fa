"""Who is calling: principals, their roles, and the API tokens that stand for them."""
