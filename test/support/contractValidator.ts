import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { apiBasePath } from '../../services/api/app';
import { apiDocument } from '../../services/api/contract/apiDocument';

type Operation = {
  responses: Record<string, { content?: Record<string, { schema: object }> }>;
};

const doc = apiDocument();
const ajv = new Ajv2020({ strict: false, allErrors: false });
addFormats(ajv);

/** Document paths as regular expressions, most specific (fewest parameters) first. */
const matchers = Object.keys(doc.paths)
  .map((p) => ({
    path: p,
    params: (p.match(/\{/g) ?? []).length,
    re: new RegExp(`^${p.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`),
  }))
  .sort((a, b) => a.params - b.params);

const validators = new Map<string, ReturnType<typeof ajv.compile>>();
const validatorFor = (key: string, schema: object) => {
  let v = validators.get(key);
  if (v === undefined) {
    // The document's components travel with each schema, so `#/components/…` refs resolve.
    v = ajv.compile({ ...schema, components: doc.components });
    validators.set(key, v);
  }
  return v;
};

/** What a test's API responses did that the document does not say (empty: all documented). */
export const contractViolations: string[] = [];
/** How many responses were checked (a test shows the check is wired in). */
export const contractStats = { checked: 0 };

/**
 * Checks one response against the OpenAPI document: the route and status must be documented and
 * a JSON body must validate against that status's schema (undocumented fields and error codes
 * fail, since the schemas are strict and restrict `error` per route and status).
 */
const genericAnswer = (status: number, body: unknown): boolean => {
  const error = (body as { error?: unknown } | null)?.error;
  if (typeof error !== 'string') return false;
  return (
    (status === 404 && error === 'not_found') ||
    status === 401 ||
    status === 400 ||
    (status === 413 && error === 'payload_too_large')
  );
};

const operationOf = (method: string, rel: string) => {
  const found = matchers.find(
    (x) => x.re.test(rel) && (doc.paths[x.path] as Record<string, unknown>)[method],
  );
  return found === undefined
    ? undefined
    : { path: found.path, op: (doc.paths[found.path] as Record<string, Operation>)[method] };
};

export const checkResponse = (
  method: string,
  url: string,
  status: number,
  body: unknown,
): string | null => {
  const path = url.split('?')[0] ?? '';
  if (!path.startsWith(apiBasePath)) return null;
  const m = method.toLowerCase();
  // A CORS preflight is answered by the CORS middleware before any route (the CORS protocol, not
  // an API operation; the document's description says so): nothing for the document to describe.
  if (m === 'options' && status === 204) return null;
  const found = operationOf(m, path.slice(apiBasePath.length));
  if (found?.op === undefined) {
    // No such route: only the generic answers of the router itself are allowed.
    return genericAnswer(status, body) ? null : `${m} ${path}: ${status} on an undocumented route`;
  }
  return checkBody(`${m} ${found.path}`, found.op, status, body);
};

const checkBody = (name: string, op: Operation, status: number, body: unknown) => {
  const response = op.responses[String(status)];
  if (response === undefined) return `${name}: status ${status} is not documented`;
  const schema = response.content?.['application/json']?.schema;
  if (schema === undefined || typeof body !== 'object' || body === null) return null;
  const validate = validatorFor(`${name} ${status}`, schema);
  if (validate(body)) return null;
  const first = validate.errors?.[0];
  return `${name} ${status}: ${ajv.errorsText(validate.errors)} (${JSON.stringify(first?.params ?? {})})`;
};

/** Wraps an app so that every JSON response it sends is checked against the document. */
export const withContractCheck = (app: Express): Express => {
  const outer = express();
  outer.disable('x-powered-by');
  outer.use((req: Request, res: Response, next: NextFunction) => {
    let body: unknown;
    const json = res.json.bind(res);
    res.json = (value: unknown) => {
      body = value;
      return json(value);
    };
    res.on('finish', () => {
      contractStats.checked += 1;
      const violation = checkResponse(req.method, req.originalUrl, res.statusCode, body);
      if (violation !== null) contractViolations.push(violation);
    });
    next();
  });
  outer.use(app);
  return outer;
};
