"""The shape limits, checked on their own before the standard validation.

graphql-core runs every validation rule in one pass, and the rule that checks overlapping
fields is quadratic in fragments: a document with 100 aliased fragments costs ~70 ms there
before the alias limit's error could be returned. Here depth and aliases are checked
first, alone; a document over a limit never reaches the standard rules. (Tokens are
counted while parsing, by MaxTokensLimiter.)
"""

from __future__ import annotations

from collections.abc import Iterator

from graphql import ASTValidationRule, validate
from strawberry.extensions import MaxAliasesLimiter, QueryDepthLimiter, SchemaExtension

MAX_DEPTH = 12
MAX_ALIASES = 30


class ShapeLimits(SchemaExtension):
    """Refuses documents deeper than MAX_DEPTH or with more than MAX_ALIASES aliases."""

    RULES: tuple[type[ASTValidationRule], ...] = (
        *QueryDepthLimiter(max_depth=MAX_DEPTH).validation_rules,
        *MaxAliasesLimiter(max_alias_count=MAX_ALIASES).validation_rules,
    )

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        if context.graphql_document is not None and context.pre_execution_errors is None:
            errors = validate(context.schema._schema, context.graphql_document, self.RULES)
            if errors:
                # Strawberry skips its own validation when an extension has set these.
                context.pre_execution_errors = errors
        yield
