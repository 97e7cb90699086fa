"""The shape limits, checked on their own before the standard validation; and each
document validated once.

graphql-core runs every validation rule in one pass, and the rule that checks overlapping
fields is quadratic in fragments: a document with 100 aliased fragments costs ~70 ms there
before the alias limit's error could be returned. Here depth and aliases are checked
first, alone; a document over a limit never reaches the standard rules. (Tokens are
counted while parsing, by MaxTokensLimiter.)

Validation is a pure function of the schema, the document and the rules, and costs
milliseconds for the console's queries: its outcome is kept for the last `KEPT`
documents. Documents come from the parser cache (`PARSED`, keyed by the query text and
the token limit), so the same text is the same document object and finds its outcome.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from graphql import ASTValidationRule, DocumentNode, GraphQLError, GraphQLSchema, validate
from strawberry.extensions import (
    MaxAliasesLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
)
from strawberry.schema.schema import validate_document

MAX_DEPTH = 12
MAX_ALIASES = 30
KEPT = 512  # documents (each at most MAX_TOKENS tokens) and their validation outcomes


class _ParserCache(ParserCache):
    """Strawberry's parser cache, leaving documents that fail to parse to Strawberry.

    An error raised in an `on_parse` hook escapes the operation's extensions (the error
    policy would not give it its code); Strawberry's own parse, which runs when no
    document is set, reports it as any syntax error. Such a document is parsed twice,
    each time stopped by the token limit.
    """

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        try:
            context.graphql_document = self.cached_parse_document(
                context.query, **context.parse_options
            )
        except GraphQLError:
            context.graphql_document = None
        yield


def parsed() -> ParserCache:
    """Strawberry's parser cache: the same query text, the same document object."""
    return _ParserCache(maxsize=KEPT)


@lru_cache(maxsize=KEPT)
def _outcome(
    schema: GraphQLSchema,
    document: DocumentNode,
    rules: tuple[type[ASTValidationRule], ...],
) -> list[GraphQLError]:
    errors = validate(schema, document, ShapeLimits.RULES)
    return errors or validate_document(schema, document, rules)


class ShapeLimits(SchemaExtension):
    """Refuses documents deeper than MAX_DEPTH or with more than MAX_ALIASES aliases, then
    runs the standard rules; the outcome is kept per document."""

    RULES: tuple[type[ASTValidationRule], ...] = (
        *QueryDepthLimiter(max_depth=MAX_DEPTH).validation_rules,
        *MaxAliasesLimiter(max_alias_count=MAX_ALIASES).validation_rules,
    )

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        if context.graphql_document is not None and context.pre_execution_errors is None:
            rules = tuple(context.validation_rules)
            # An empty list tells Strawberry validation is done (it skips its own).
            context.pre_execution_errors = list(
                _outcome(context.schema._schema, context.graphql_document, rules)
            )
        yield
