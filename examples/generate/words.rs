//! Vocabulary for names, paths and prose.

/// Plural resource nouns; each forms its singular by dropping `s` (or `ies` -> `y`).
pub const NOUNS: &[&str] = &[
    "teams",
    "tools",
    "servers",
    "gateways",
    "resources",
    "prompts",
    "agents",
    "tokens",
    "roles",
    "users",
    "tags",
    "catalogs",
    "exports",
    "imports",
    "metrics",
    "traces",
    "spans",
    "alerts",
    "policies",
    "plugins",
    "providers",
    "models",
    "chats",
    "sessions",
    "webhooks",
    "schedules",
    "jobs",
    "queues",
    "buckets",
    "files",
    "folders",
    "documents",
    "reports",
    "dashboards",
    "widgets",
    "projects",
    "workspaces",
    "environments",
    "deployments",
    "releases",
    "builds",
    "pipelines",
    "secrets",
    "keys",
    "certificates",
    "domains",
    "routes",
    "endpoints",
    "services",
    "clusters",
    "nodes",
    "volumes",
    "snapshots",
    "backups",
    "invoices",
    "payments",
    "subscriptions",
    "plans",
    "quotas",
    "limits",
    "events",
    "notifications",
    "comments",
    "reviews",
    "members",
    "invitations",
    "permissions",
    "groups",
    "channels",
    "messages",
    "templates",
    "variables",
    "credentials",
    "registries",
];

pub const VERBS: &[&str] = &[
    "Handles",
    "Processes",
    "Validates",
    "Returns",
    "Updates",
    "Creates",
    "Removes",
    "Lists",
    "Fetches",
    "Synchronises",
    "Registers",
    "Refreshes",
];

pub const FILLER: &[&str] = &[
    "the request is authenticated with a bearer token or a session cookie",
    "results are filtered by the caller's team visibility",
    "the database session is committed before the response is built",
    "pagination uses an opaque cursor that the client passes back unchanged",
    "a 404 is returned when the entity does not exist or is not visible",
    "the operation is recorded in the audit trail with the caller's email",
    "metrics are emitted for every outcome, including validation failures",
    "inactive entities are hidden unless include_inactive is set",
    "the payload is validated against the schema before any write happens",
    "concurrent updates are detected with the version field",
    "the cache entry for the entity is invalidated after the write",
    "plugins may rewrite the payload before it is stored",
];

pub fn singular(plural: &str) -> String {
    if let Some(stem) = plural.strip_suffix("ies") {
        format!("{stem}y")
    } else if let Some(stem) = plural.strip_suffix('s') {
        stem.to_string()
    } else {
        plural.to_string()
    }
}

/// `team_members` -> `TeamMembers`.
pub fn camel(snake: &str) -> String {
    snake
        .split(['_', '-'])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_uppercase().chain(c).collect::<String>(),
                None => String::new(),
            }
        })
        .collect()
}

/// `team_members` -> `Team Members`.
pub fn title(snake: &str) -> String {
    snake
        .split(['_', '-'])
        .filter(|w| !w.is_empty())
        .map(camel)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The `i`-th distinct noun: `aa_teams`, `aa_tools`, ..., then `ab_teams`,
/// ... Every noun carries its cycle's code, so names have one length at
/// any scale: ten times the service is ten times the text, not more.
pub fn nth_noun(i: usize) -> String {
    coded(NOUNS[i % NOUNS.len()], i / NOUNS.len())
}

/// `word` after the `k`-th code: `aa_word`, `ab_word`, ..., `zz_word`, then
/// `baa_word`, ...: one length for the first 676 cycles (50,024 nouns).
pub fn coded(word: &str, k: usize) -> String {
    let mut code = Vec::new();
    let mut rest = k;
    for _ in 0..2 {
        code.push(b'a' + (rest % 26) as u8);
        rest /= 26;
    }
    while rest > 0 {
        code.push(b'a' + (rest % 26) as u8);
        rest /= 26;
    }
    code.reverse();
    format!("{}_{word}", String::from_utf8_lossy(&code))
}
