//! Writes the service's FastAPI source tree: `app/main.py` creating the app,
//! declaring root routes and including every router under `/v1`, and one
//! `app/routers/<name>.py` per router with multi-line decorators, stacked
//! slash twins, permission decorators, long handlers and docstrings holding
//! decorator-looking examples.

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::Path;

use crate::model::{schema_names, Api, Kind, Op, Router};
use crate::rng::Rng;
use crate::words::{self, camel, title};

#[derive(Default)]
pub struct Stats {
    pub files: usize,
    pub lines: usize,
    pub bytes: usize,
}

pub fn write(root: &Path, api: &Api, seed: u64) -> io::Result<Stats> {
    let mut stats = Stats::default();
    let mut rng = Rng::new(seed ^ 0xFA57);
    fs::create_dir_all(root.join("app/routers"))?;
    for (path, text) in [
        ("app/__init__.py", ""),
        (
            "app/routers/__init__.py",
            "\"\"\"Routers of the service, one per area.\"\"\"\n",
        ),
    ] {
        fs::write(root.join(path), text)?;
    }
    for (r, router) in api.routers.iter().enumerate() {
        let text = if r == 0 {
            main_file(api, router, &mut rng)
        } else {
            router_file(api, router, &mut rng)
        };
        stats.files += 1;
        stats.lines += text.matches('\n').count();
        stats.bytes += text.len();
        fs::write(root.join(&router.file), text)?;
    }
    Ok(stats)
}

fn main_file(api: &Api, app: &Router, rng: &mut Rng) -> String {
    let mut s = String::new();
    s.push_str(
        r#""""Application entry point: creates the app, mounts every router.

The API is served under /v1. Routers are imported here; optional ones are
imported inside `_mount_optional` so a missing plugin does not stop start-up.
"""

from __future__ import annotations

import logging
import os
from typing import Any, Dict

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import FileResponse, JSONResponse, PlainTextResponse

from app.auth import get_current_user
from app.db import get_db
"#,
    );
    let routers = &api.routers[1..];
    for (i, router) in routers.iter().enumerate() {
        if i % 7 == 3 {
            let _ = writeln!(
                s,
                "from app.routers import {} as {}_module",
                router.module, router.module
            );
        } else if i % 11 != 5 {
            let _ = writeln!(
                s,
                "from app.routers.{} import {} as {}_router",
                router.module, router.var, router.module
            );
        }
    }
    s.push_str(
        r#"
logger = logging.getLogger(__name__)

app = FastAPI(
    title="Synthetic Gateway",
    version="1.0.0",
    docs_url="/docs",
)

"#,
    );
    for (i, router) in routers.iter().enumerate() {
        if i % 7 == 3 {
            let _ = writeln!(
                s,
                "app.include_router({}_module.{}, prefix=\"{}\")",
                router.module, router.var, router.mount
            );
        } else if i % 11 != 5 {
            let _ = writeln!(
                s,
                "app.include_router({}_router, prefix=\"{}\")",
                router.module, router.mount
            );
        }
    }
    s.push_str(
        r#"

def _mount_optional(target: FastAPI) -> None:
    """Mount routers whose dependencies may be missing."""
"#,
    );
    for (i, router) in routers.iter().enumerate() {
        if i % 11 == 5 {
            let _ = write!(
                s,
                "    try:\n        from app.routers.{m} import {v} as {m}_router\n\n        target.include_router({m}_router, prefix=\"{p}\")\n    except ImportError:  # pragma: no cover\n        logger.info(\"{m} router not available\")\n",
                m = router.module,
                v = router.var,
                p = router.mount
            );
        }
    }
    s.push_str("    return None\n\n\n_mount_optional(app)\n");
    for op in &api.ops[app.ops.clone()] {
        s.push('\n');
        handler(&mut s, api, app, op, rng, false);
    }
    s
}

fn router_file(api: &Api, router: &Router, rng: &mut Rng) -> String {
    let mut s = String::new();
    let area = title(&router.module);
    let _ = write!(
        s,
        r#""""{area} API: list, create, read, update and delete {lower}.

Every handler checks the caller's permissions before touching the database.
An example of a declaration, which is documentation and not a route:

    @{var}.get("/example")
    async def example() -> dict:
        return {{}}
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional

from fastapi import APIRouter, Depends, HTTPException, Query, Request, status
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from app.auth import get_current_user, require_permission
from app.db import get_db
"#,
        lower = router.module.replace('_', " "),
        var = router.var,
    );
    let mut schemas = Vec::new();
    for op in &api.ops[router.ops.clone()] {
        if let Some(res) = api.resources.get(op.resource) {
            for n in schema_names(res) {
                if !schemas.contains(&n) {
                    schemas.push(n);
                }
            }
        }
    }
    if !schemas.is_empty() {
        s.push_str("from app.schemas import (\n");
        for n in &schemas {
            let _ = writeln!(s, "    {n},");
        }
        s.push_str(")\n");
    }
    let _ = write!(
        s,
        r#"from app.services.{m} import {svc}Service

logger = logging.getLogger(__name__)

{var} = APIRouter(
    prefix="{prefix}",
    tags=["{tag}"],
    responses={{404: {{"description": "Not found"}}}},
)
service = {svc}Service()
"#,
        m = router.module,
        svc = camel(&router.module),
        var = router.var,
        prefix = router.prefix,
        tag = router.tag,
    );
    let ops = &api.ops[router.ops.clone()];
    let mut i = 0;
    while i < ops.len() {
        let op = &ops[i];
        s.push_str("\n\n");
        let twin = ops
            .get(i + 1)
            .filter(|n| n.kind == Kind::ListSlash && n.func == op.func);
        if let Some(twin) = twin {
            decorator(&mut s, router, op, rng);
            let _ = writeln!(
                s,
                "@{}.get(\"{}\", include_in_schema=True)",
                router.var, twin.route
            );
            i += 1;
        }
        if twin.is_none() && rng.chance(3) {
            // Declared by a call instead of a decorator.
            handler(&mut s, api, router, op, rng, true);
            let _ = writeln!(
                s,
                "\n\n{}.add_api_route(\"{}\", {}, methods=[\"{}\"])",
                router.var, op.route, op.func, op.method
            );
        } else {
            handler(&mut s, api, router, op, rng, twin.is_some());
        }
        i += 1;
    }
    s
}

fn decorator(s: &mut String, router: &Router, op: &Op, rng: &mut Rng) {
    let verb = op.method.to_ascii_lowercase();
    let model = match op.kind {
        Kind::List | Kind::ListSlash | Kind::Search => "List[Dict[str, Any]]",
        Kind::Delete => "None",
        _ => "Dict[str, Any]",
    };
    if !op.hidden && rng.chance(25) {
        let _ = writeln!(
            s,
            "@{}.{verb}(\"{}\", response_model={model})",
            router.var, op.route
        );
        return;
    }
    let _ = writeln!(s, "@{}.{verb}(", router.var);
    let _ = writeln!(s, "    \"{}\",", op.route);
    let _ = writeln!(s, "    response_model={model},");
    if op.kind == Kind::Create {
        s.push_str("    status_code=status.HTTP_201_CREATED,\n");
    }
    let _ = writeln!(s, "    summary=\"{}\",", op.summary);
    if op.hidden {
        s.push_str("    include_in_schema=False,\n");
    }
    s.push_str("    dependencies=[Depends(get_current_user)],\n");
    s.push_str(")\n");
}

/// A handler with its decorators (unless `bare`: declared elsewhere).
fn handler(s: &mut String, api: &Api, router: &Router, op: &Op, rng: &mut Rng, bare: bool) {
    if !bare {
        decorator(s, router, op, rng);
    }
    if router.var != "app" && rng.chance(70) {
        let _ = writeln!(
            s,
            "@require_permission(\"{}.{}\")",
            router.module,
            if op.method == "GET" { "read" } else { "write" }
        );
    }
    let _ = writeln!(s, "async def {}(", op.func);
    for p in &op.params {
        let _ = writeln!(s, "    {p}: str,");
    }
    s.push_str("    request: Request,\n");
    if op.has_body() {
        if let Some(res) = api.resources.get(op.resource) {
            let [create, update, _] = schema_names(res);
            let body = if op.kind == Kind::Create {
                create
            } else {
                update
            };
            let _ = writeln!(s, "    payload: {body},");
        }
    }
    if matches!(op.kind, Kind::List | Kind::ListSlash | Kind::Search) {
        s.push_str("    skip: int = Query(0, ge=0),\n");
        s.push_str("    limit: int = Query(100, ge=1, le=1000),\n");
        s.push_str("    include_inactive: bool = False,\n");
    }
    s.push_str("    db: Session = Depends(get_db),\n");
    s.push_str("    user: str = Depends(get_current_user),\n");
    s.push_str(") -> Any:\n");
    let _ = writeln!(s, "    \"\"\"{}.", op.summary);
    s.push('\n');
    for _ in 0..rng.range(1, 3) {
        let _ = writeln!(s, "    {}.", capitalise(rng.pick(words::FILLER)));
    }
    s.push_str("\n    Args:\n");
    for p in &op.params {
        let _ = writeln!(s, "        {p}: The {} from the path.", title(p));
    }
    s.push_str("        request: The incoming request.\n");
    s.push_str("        db: The database session.\n");
    s.push_str("        user: The authenticated user.\n\n");
    s.push_str("    Returns:\n        The serialised result.\n\n");
    s.push_str("    Raises:\n        HTTPException: 404 when missing, 403 when not allowed.\n");
    s.push_str("    \"\"\"\n");
    let _ = writeln!(s, "    logger.debug(\"{} called by %s\", user)", op.func);
    let blocks = rng.range(3, 7);
    for b in 0..blocks {
        body_block(s, op, rng, b);
    }
    match op.kind {
        Kind::Delete => s.push_str("    return None\n"),
        Kind::List | Kind::ListSlash | Kind::Search => {
            s.push_str("    return [item.to_dict() for item in items]\n")
        }
        _ => s.push_str("    return JSONResponse(content=result, status_code=200)\n"),
    }
}

fn body_block(s: &mut String, op: &Op, rng: &mut Rng, b: usize) {
    let id = op.params.first().map_or("None", String::as_str);
    match (b + rng.range(0, 4)) % 5 {
        0 => {
            let _ = write!(
                s,
                "    try:\n        entity = await service.get(db, {id}, user=user)\n    except PermissionError as exc:\n        raise HTTPException(\n            status_code=status.HTTP_403_FORBIDDEN,\n            detail=str(exc),\n        ) from exc\n    except LookupError as exc:\n        raise HTTPException(status_code=404, detail=f\"not found: {{exc}}\") from exc\n"
            );
        }
        1 => {
            s.push_str(
                "    items = await service.list(\n        db,\n        skip=getattr(request.state, \"skip\", 0),\n        limit=getattr(request.state, \"limit\", 100),\n        user=user,\n    )\n    if not items:\n        logger.info(\"nothing visible to %s\", user)\n",
            );
        }
        2 => {
            s.push_str(
                "    result: Dict[str, Any] = {\n        \"status\": \"ok\",\n        \"path\": request.url.path,  # e.g. \"/v1/example\", not a route\n        \"user\": user,\n    }\n    for key, value in request.query_params.items():\n        if key.startswith(\"x_\"):\n            result[key] = value\n",
            );
        }
        3 => {
            s.push_str(
                "    if request.headers.get(\"HX-Request\") == \"true\":\n        # HTMX partial: the admin screens ask for fragments.\n        logger.debug(\"htmx fragment requested\")\n    db.commit()\n    await service.invalidate_cache(user=user)\n",
            );
        }
        _ => {
            s.push_str(
                "    metrics = service.metrics()\n    metrics.increment(\n        \"requests_total\",\n        labels={\"route\": request.url.path, \"method\": request.method},\n    )\n    items = getattr(metrics, \"items\", [])\n    result = {\"count\": len(items)}\n",
            );
        }
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
