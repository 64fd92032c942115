// A minimal HTTP router: exact paths and ":param" segments.
const METHODS = ["GET", "POST", "PUT", "DELETE"];

export class Router {
  constructor() {
    this.routes = [];
  }

  add(method, pattern, handler) {
    if (!METHODS.includes(method)) {
      throw new Error(`unsupported method ${method}`);
    }
    const parts = pattern.split("/").filter(Boolean);
    this.routes.push({ method, parts, handler });
  }

  match(method, path) {
    const segments = path.split("/").filter(Boolean);
    for (const route of this.routes) {
      if (route.method !== method || route.parts.length !== segments.length) continue;
      const params = {};
      const ok = route.parts.every((part, i) => {
        if (part.startsWith(":")) { params[part.slice(1)] = segments[i]; return true; }
        return part === segments[i];
      });
      if (ok) return { handler: route.handler, params };
    }
    return null;
  }
}

export function notFound(res) {
  res.statusCode = 404;
  res.end("{ \"error\": \"not found\" }");
}

/* A comment with a brace } that must not close anything. */
export const version = "1.0";
