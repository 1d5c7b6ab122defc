"""GET /openapi.json and GET /docs: the API's description, readable without a token.

The docs page is one self-contained HTML file: its script and style are inline and its
Content-Security-Policy lets it fetch nothing but /openapi.json from its own origin, so it
works on machines without internet access and cannot leak anything to third parties.
"""

import base64
import hashlib

import falcon
import orjson

from api.openapi_document import document

_STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 70rem; padding: 1rem 2rem;
       color: #1d2328; }
h1 { margin-bottom: .2rem; }
h2 { border-bottom: 1px solid #ccd3d9; padding-bottom: .2rem; margin-top: 2rem; }
code { background: #eef1f4; border-radius: 3px; padding: 0 .25rem; font-size: 90%; }
details { border: 1px solid #ccd3d9; border-radius: 4px; margin: .5rem 0; padding: .3rem .8rem; }
summary { cursor: pointer; }
.method { background: #1f6f43; color: #fff; border-radius: 3px; padding: 0 .4rem;
          font-weight: bold; font-size: 85%; margin-right: .5rem; }
.path { font-family: ui-monospace, monospace; font-weight: bold; }
.muted { color: #5c6670; }
.lock { font-size: 85%; margin-left: .5rem; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0; }
th, td { border-bottom: 1px solid #e3e7eb; padding: .25rem .5rem; text-align: left;
         vertical-align: top; }
ul.schema { list-style: none; padding-left: 1.2rem; margin: .2rem 0;
            border-left: 2px solid #e3e7eb; }
.type { color: #7a3e9d; font-family: ui-monospace, monospace; font-size: 90%; }
.status { font-weight: bold; font-family: ui-monospace, monospace; }
"""

_SCRIPT = """
"use strict";

function element(tag, className, ...children) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  node.append(...children);
  return node;
}

/* Text with `code` spans, built as nodes so nothing in the document is read as HTML. */
function prose(tag, text) {
  const node = element(tag, "");
  String(text || "").split("`").forEach((part, index) => {
    node.append(index % 2 ? element("code", "", part) : part);
  });
  return node;
}

function resolve(spec, node) {
  let depth = 0;
  while (node && node.$ref && depth++ < 20) {
    node = node.$ref.replace(/^#\\//, "").split("/").reduce((at, key) => at && at[key], spec);
  }
  return node || {};
}

function refName(node) {
  return node && node.$ref ? node.$ref.split("/").pop() : "";
}

/* One line for a schema: type, format, enum, default, bounds. */
function typeText(spec, schema) {
  const name = refName(schema);
  schema = resolve(spec, schema);
  const types = [].concat(schema.type || []);
  let text = types.map((type) => {
    if (type === "array") return "array of " + (typeText(spec, schema.items || {}) || "any");
    return type;
  }).join(" | ");
  if (name && !["string", "integer", "number", "boolean"].includes(schema.type)) {
    text = name + (text ? " (" + text + ")" : "");
  }
  const facts = [];
  if (schema.format) facts.push("format " + schema.format);
  if (schema.anyOf) facts.push(schema.anyOf.map((part) => part.format || typeText(spec, part))
    .join(" or "));
  if (schema.enum) facts.push("one of " + schema.enum.map((v) => JSON.stringify(v)).join(", "));
  if (schema.const !== undefined) facts.push("always " + JSON.stringify(schema.const));
  if (schema.pattern) facts.push("pattern " + schema.pattern);
  if (schema.minimum !== undefined) facts.push("min " + schema.minimum);
  if (schema.maximum !== undefined) facts.push("max " + schema.maximum);
  if (schema.minItems !== undefined) facts.push("at least " + schema.minItems + " items");
  if (schema.maxItems !== undefined) facts.push("at most " + schema.maxItems + " items");
  if (schema.default !== undefined) facts.push("default " + JSON.stringify(schema.default));
  return facts.length ? text + " [" + facts.join("; ") + "]" : text;
}

/* The fields of a schema as a nested list; `seen` stops at a schema already being shown. */
function schemaTree(spec, schema, seen) {
  const name = refName(schema);
  if (name && seen.includes(name)) return null;
  const path = name ? seen.concat(name) : seen;
  schema = resolve(spec, schema);
  if (schema.type === "array" || (Array.isArray(schema.type) && schema.type.includes("array"))) {
    return schema.items ? schemaTree(spec, schema.items, path) : null;
  }
  const list = element("ul", "schema");
  const required = schema.required || [];
  for (const [field, fieldSchema] of Object.entries(schema.properties || {})) {
    const item = element("li", "", element("code", "", field), " ",
      element("span", "type", typeText(spec, fieldSchema)));
    if (!required.includes(field)) item.append(element("span", "muted", " (optional)"));
    const description = fieldSchema.description || resolve(spec, fieldSchema).description;
    if (description && !fieldSchema.$ref) item.append(" ", prose("span", description));
    const nested = schemaTree(spec, fieldSchema, path);
    if (nested) item.append(nested);
    list.append(item);
  }
  if (schema.additionalProperties && typeof schema.additionalProperties === "object") {
    const keys = schema.propertyNames ? typeText(spec, schema.propertyNames) : "string";
    const item = element("li", "", element("code", "", "{key: " + keys + "}"), " ",
      element("span", "type", typeText(spec, schema.additionalProperties)));
    const nested = schemaTree(spec, schema.additionalProperties, path);
    if (nested) item.append(nested);
    list.append(item);
  }
  return list.childElementCount ? list : null;
}

function parameterTable(spec, parameters) {
  const table = element("table", "", element("tr", "", element("th", "", "parameter"),
    element("th", "", "in"), element("th", "", "schema"), element("th", "", "meaning")));
  for (const reference of parameters) {
    const parameter = resolve(spec, reference);
    table.append(element("tr", "",
      element("td", "", element("code", "", parameter.name),
        parameter.required ? element("span", "muted", " required") : ""),
      element("td", "", parameter.in),
      element("td", "type", typeText(spec, parameter.schema || {})),
      prose("td", parameter.description)));
  }
  return table;
}

/* Responses with their bodies; `expand` says which bodies to show field by field. */
function responseList(spec, responses, expand) {
  const list = element("div", "");
  for (const [status, reference] of Object.entries(responses)) {
    const response = resolve(spec, reference);
    const block = element("div", "", element("span", "status", status), " ",
      prose("span", response.description));
    for (const [header, definition] of Object.entries(response.headers || {})) {
      block.append(element("div", "muted", "header ", element("code", "", header), " ",
        prose("span", definition.description)));
    }
    for (const [mediaType, content] of Object.entries(response.content || {})) {
      block.append(element("div", "muted", mediaType + ": ",
        element("span", "type", typeText(spec, content.schema || {}))));
      const tree = expand(status) && schemaTree(spec, content.schema || {}, []);
      if (tree) block.append(tree);
    }
    list.append(block);
  }
  return list;
}

function operationBlock(spec, path, method, operation) {
  const security = operation.security || spec.security || [];
  const head = element("summary", "", element("span", "method", method.toUpperCase()),
    element("span", "path", path), " ", element("span", "muted", operation.summary || ""),
    element("span", "lock muted", security.length ? "bearer token" : "no token"));
  const block = element("details", "", head, prose("p", operation.description));
  if ((operation.parameters || []).length) {
    block.append(element("h4", "", "Parameters"), parameterTable(spec, operation.parameters));
  }
  const success = (status) => status.startsWith("2");
  block.append(element("h4", "", "Responses"),
    responseList(spec, operation.responses || {}, success));
  return block;
}

function render(spec) {
  document.title = spec.info.title + " " + spec.info.version;
  document.getElementById("title").textContent = document.title;
  document.getElementById("description").replaceWith(prose("p", spec.info.description));
  const main = document.getElementById("paths");
  main.replaceChildren();
  const byTag = new Map((spec.tags || []).map((tag) => [tag.name, []]));
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      const tag = (operation.tags || ["Other"])[0];
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag).push(operationBlock(spec, path, method, operation));
    }
  }
  for (const [tag, blocks] of byTag) {
    if (blocks.length) main.append(element("h2", "", tag), ...blocks);
  }
  main.append(element("h2", "", "Errors"));
  main.append(responseList(spec, (spec.components || {}).responses || {}, () => true));
  main.append(element("h2", "", "Schemas"));
  for (const name of Object.keys((spec.components || {}).schemas || {})) {
    const schema = { $ref: "#/components/schemas/" + name };
    const block = element("details", "", element("summary", "",
      element("span", "path", name), " ", prose("span", resolve(spec, schema).description)),
      element("div", "type", typeText(spec, schema)));
    const tree = schemaTree(spec, schema, []);
    if (tree) block.append(tree);
    main.append(block);
  }
}

fetch("openapi.json")
  .then((response) => {
    if (!response.ok) throw new Error("openapi.json answered " + response.status);
    return response.json();
  })
  .then(render)
  .catch((error) => {
    document.getElementById("paths").replaceChildren(
      element("p", "", "Cannot load openapi.json: " + error.message));
  });
"""


def _source(text: str) -> str:
    """A CSP source allowing exactly this inline script or style."""
    digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
    return f"'sha256-{digest}'"


_PAGE = (
    '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
    "<title>callstats API</title>\n"
    f"<style>{_STYLE}</style>\n</head>\n<body>\n"
    '<h1 id="title">callstats API</h1>\n<p id="description"></p>\n'
    '<main id="paths"><p>Loading openapi.json…</p></main>\n'
    f"<script>{_SCRIPT}</script>\n</body>\n</html>\n"
)

_POLICY = (
    "default-src 'none'; connect-src 'self'; "
    f"script-src {_source(_SCRIPT)}; style-src {_source(_STYLE)}; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


class OpenApiDocument:
    """The document, serialised once: it only changes with the code."""

    requires_token = False

    def __init__(self):
        self._body = orjson.dumps(document())

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.content_type = falcon.MEDIA_JSON
        resp.data = self._body

    on_head = on_get


class Docs:
    requires_token = False

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.content_type = falcon.MEDIA_HTML
        resp.set_header("Content-Security-Policy", _POLICY)
        resp.text = _PAGE

    on_head = on_get


def add_routes(app: falcon.App) -> None:
    """Register /openapi.json and /docs."""
    app.add_route("/openapi.json", OpenApiDocument())
    app.add_route("/docs", Docs())
