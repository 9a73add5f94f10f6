//! Semantic model (packages, scopes, types, CFG). Built by the semantic-model issue.
