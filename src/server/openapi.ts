/**
 * The OpenAPI 3.1 document, generated from the same zod schemas that validate requests, so the
 * documentation cannot drift from what the server accepts.
 */
import { z } from "zod";
import { CreateContextSchema, CreateSandboxSchema, RunContextSchema } from "./sandboxes.js";
import { BatchRequestSchema, BatchResultSchema, ExecuteRequestSchema, ExecuteResultSchema, RUNTIME_NAMES } from "../request.js";

function jsonSchema(schema: z.ZodType, io: "input" | "output"): Record<string, unknown> {
  // OpenAPI 3.1 schemas are JSON Schema 2020-12; the dialect is set once for the document.
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { target: "draft-2020-12", io }) as Record<string, unknown>;
  return rest;
}

const errorSchema = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      properties: {
        code: { type: "string", description: "Stable error code, e.g. INVALID_REQUEST, QUEUE_FULL, RUNTIME_UNAVAILABLE" },
        message: { type: "string", description: "What failed and what to do" },
      },
    },
  },
};

const runtimeInfoSchema = {
  type: "object",
  required: ["name", "language", "version", "available"],
  properties: {
    name: { type: "string", enum: [...RUNTIME_NAMES] },
    language: { type: "string" },
    version: { type: "string", description: 'Language version (for node and bun: the version of the API emulated); "unknown" when it cannot be told' },
    engine: { type: "string", description: "What runs the program (node and bun run on QuickJS, not V8 or JavaScriptCore)" },
    emulates: { type: "string", description: 'The API emulated on the engine, e.g. "Node.js 20.20.2" (node, bun)' },
    available: { type: "boolean" },
    reason: { type: "string", description: "Why the runtime is unavailable, and what to install" },
    compiler: { type: "string", description: "Compiled languages (go, rust): which compiler runs, and why Rust needs the machine's" },
  },
};

const errorResponse = (description: string) => ({
  description,
  content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
});

const jobIdParam = { name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } };

const callbackUrlSchema = {
  type: "string",
  format: "uri",
  description: "POSTed {data: Job} once the job has finished; only hosts on the server's callback allowlist are accepted (400 otherwise)",
};

/** A submission of one job kind: `kind` and the schema its `request` follows. */
const submissionOf = (kind: string, request: string, description: string) => ({
  type: "object",
  required: ["kind", "request"],
  additionalProperties: false,
  properties: {
    kind: { const: kind, description },
    request: { $ref: `#/components/schemas/${request}` },
    callbackUrl: callbackUrlSchema,
  },
});

/** Fleet mode's schemas: a server with a job queue (--redis) adds them. */
const jobSchemas = {
  JobSubmission: {
    oneOf: [
      submissionOf("execute", "ExecuteRequest", "One request, as POST /v1/execute"),
      submissionOf("batch", "BatchRequest", "One program on many test cases, as POST /v1/batch"),
    ],
    description: "What to run; `request` is checked as its synchronous route checks it (a 400 names `request.<field>`)",
  },
  Job: {
    type: "object",
    required: ["id", "kind", "status", "attempts", "createdAt"],
    properties: {
      id: { type: "string", format: "uuid" },
      kind: { type: "string", enum: ["execute", "batch"] },
      status: { type: "string", enum: ["queued", "running", "completed", "failed"] },
      result: {
        oneOf: [{ $ref: "#/components/schemas/ExecuteResult" }, { $ref: "#/components/schemas/BatchResult" }],
        description: "When completed (a failing program is still completed): an ExecuteResult for kind execute, a BatchResult for kind batch",
      },
      error: {
        type: "object",
        required: ["code", "message"],
        properties: { code: { type: "string" }, message: { type: "string" } },
        description: "When failed: the host error (SANDBOX_FAILURE after the retries, RUNTIME_UNAVAILABLE, INVALID_REQUEST)",
      },
      attempts: { type: "integer", description: "Runs started (retries, and runs taken back from a dead worker, included)" },
      createdAt: { type: "string", format: "date-time" },
      finishedAt: { type: "string", format: "date-time" },
    },
  },
  QueueStats: {
    type: "object",
    required: ["waiting", "active", "delayed", "completed", "failed", "workers"],
    properties: {
      waiting: { type: "integer", description: "Jobs not yet started: scale workers on this" },
      active: { type: "integer" },
      delayed: { type: "integer", description: "Retries waiting for their backoff" },
      completed: { type: "integer", description: "Finished jobs still kept (result TTL)" },
      failed: { type: "integer" },
      workers: { type: ["integer", "null"], description: "Workers connected to the queue; null when Redis does not list clients" },
    },
  },
};

const dataOf = (ref: string) => ({
  "application/json": { schema: { type: "object", required: ["data"], properties: { data: { $ref: `#/components/schemas/${ref}` } } } },
});

const jobPaths = {
  "/v1/jobs": {
    post: {
      operationId: "submitJob",
      summary: "Queue a job for the fleet's workers; poll GET /v1/jobs/{id} or wait for the callback",
      requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/JobSubmission" } } } },
      responses: {
        "202": {
          description: "Queued",
          headers: { Location: { schema: { type: "string" }, description: "/v1/jobs/{id}" } },
          content: {
            "application/json": {
              schema: {
                type: "object",
                required: ["data"],
                properties: { data: { type: "object", required: ["id", "status"], properties: { id: { type: "string", format: "uuid" }, status: { const: "queued" } } } },
              },
            },
          },
        },
        "400": errorResponse("Invalid JSON, an invalid field (the message names it), or a callbackUrl not on the allowlist"),
        "401": errorResponse("Missing or wrong X-API-Key"),
        "413": errorResponse("Request body over the size limit"),
        "415": errorResponse("Content-Type is not application/json"),
        "503": errorResponse("Redis cannot be reached (QUEUE_UNAVAILABLE), or the server is shutting down"),
      },
    },
  },
  "/v1/jobs/{id}": {
    get: {
      operationId: "getJob",
      summary: "A job's status, and its result once finished",
      parameters: [jobIdParam],
      responses: {
        "200": { description: "The job", content: dataOf("Job") },
        "401": errorResponse("Missing or wrong X-API-Key"),
        "404": errorResponse("No such job for this API key (another key's job, or expired after the result TTL)"),
        "503": errorResponse("Redis cannot be reached (QUEUE_UNAVAILABLE), or the server is shutting down"),
      },
    },
  },
  "/v1/jobs/stats": {
    get: {
      operationId: "jobStats",
      summary: "Job counts of the queue, for autoscaling on the waiting count",
      responses: {
        "200": { description: "The counts", content: dataOf("QueueStats") },
        "401": errorResponse("Missing or wrong X-API-Key"),
        "503": errorResponse("Redis cannot be reached (QUEUE_UNAVAILABLE), or the server is shutting down"),
      },
    },
  },
};

// ---- sandboxes ----

const sandboxSchemas = {
  CreateSandbox: jsonSchema(CreateSandboxSchema, "input"),
  CreateContext: jsonSchema(CreateContextSchema, "input"),
  RunContext: jsonSchema(RunContextSchema, "input"),
  Sandbox: {
    type: "object",
    required: ["id", "node", "createdAt", "lastUsedAt", "expiresAt", "files", "bytes", "limits", "contexts"],
    properties: {
      id: { type: "string", description: "sbx_<node>_<24 hex>: the node part names the server process that holds it" },
      node: { type: "string", description: "This server's node id (--node-id)" },
      createdAt: { type: "string", format: "date-time" },
      lastUsedAt: { type: "string", format: "date-time" },
      expiresAt: { type: ["string", "null"], format: "date-time", description: "When it ends if no call comes first; null: never" },
      files: { type: "integer" },
      bytes: { type: "integer" },
      limits: {
        type: "object",
        required: ["maxBytes", "maxFiles", "idleTimeout"],
        properties: { maxBytes: { type: "integer" }, maxFiles: { type: "integer" }, idleTimeout: { type: "integer", description: "ms; 0: never" } },
      },
      contexts: { type: "array", items: { $ref: "#/components/schemas/Context" } },
    },
  },
  FileEntry: {
    type: "object",
    required: ["name", "path", "type", "size"],
    properties: {
      name: { type: "string" },
      path: { type: "string" },
      type: { type: "string", enum: ["file", "dir"] },
      size: { type: "integer", description: "Bytes (of every file under it, for a directory)" },
    },
  },
  Context: { type: "object", required: ["id", "runtime"], properties: { id: { type: "string" }, runtime: { type: "string" } } },
  ContextResult: {
    allOf: [{ $ref: "#/components/schemas/ExecuteResult" }],
    type: "object",
    properties: {
      error: { type: "object", properties: { type: { type: "string" }, message: { type: "string" }, traceback: { type: "string" } } },
      value: { type: "string", description: "The text form of the last expression's value, where the language has one" },
      ended: { const: true, description: "The context ended with this run (e.g. it timed out) and is no longer listed" },
    },
  },
};

const sandboxId = { name: "id", in: "path", required: true, schema: { type: "string", pattern: "^sbx_[A-Za-z0-9-]+_[0-9a-f]{24}$" } };
const contextId = { name: "cid", in: "path", required: true, schema: { type: "string" } };
const filePathParam = { name: "path", in: "path", required: true, schema: { type: "string" }, description: "Relative POSIX path, each segment percent-encoded" };
const common = {
  "401": errorResponse("Missing or wrong X-API-Key"),
  "404": errorResponse("No such sandbox for this API key (another key's sandbox answers alike), or no such file/context"),
  "410": errorResponse("SESSION_EXPIRED: the sandbox was idle longer than its idleTimeout and was ended with its files"),
  "421": errorResponse("WRONG_NODE: the id names another node; the message names it (route by the id's node part)"),
  "503": errorResponse("The server is shutting down"),
};
const bytesContent = { "application/octet-stream": { schema: { type: "string", contentMediaType: "application/octet-stream" } } };
const jsonBody = (ref: string) => ({ required: true, content: { "application/json": { schema: { $ref: `#/components/schemas/${ref}` } } } });
const dataArrayOf = (ref: string) => ({
  "application/json": { schema: { type: "object", required: ["data"], properties: { data: { type: "array", items: { $ref: `#/components/schemas/${ref}` } } } } },
});
const noContent = { "204": { description: "Deleted" } };

const sandboxPaths = {
  "/v1/sandboxes": {
    post: {
      operationId: "createSandbox",
      summary: "Create a sandbox: files that persist between executions, owned by this API key",
      description:
        "JSON (CreateSandbox, or no body for the server's defaults), or the bytes of POST /v1/sandboxes/{id}/snapshot as application/octet-stream to bring a snapshot back as a new sandbox. Limits may not exceed the server's.",
      requestBody: { content: { "application/json": { schema: { $ref: "#/components/schemas/CreateSandbox" } }, ...bytesContent } },
      responses: {
        "201": { description: "Created", headers: { Location: { schema: { type: "string" } } }, content: dataOf("Sandbox") },
        "400": errorResponse("An invalid field or limit over the server's cap (the message names it), or bytes that are not a snapshot"),
        "401": common["401"],
        "413": errorResponse("Body over the size limit, or files over the sandbox's quota (SESSION_QUOTA)"),
        "415": errorResponse("Neither JSON nor application/octet-stream"),
        "429": errorResponse("SESSION_LIMIT: this key's limit of open sandboxes, or the server's, is reached"),
        "503": common["503"],
      },
    },
    get: {
      operationId: "listSandboxes",
      summary: "This API key's open sandboxes",
      responses: { "200": { description: "The sandboxes", content: dataArrayOf("Sandbox") }, "401": common["401"] },
    },
  },
  "/v1/sandboxes/{id}": {
    get: { operationId: "getSandbox", summary: "A sandbox's state", parameters: [sandboxId], responses: { "200": { description: "The sandbox", content: dataOf("Sandbox") }, ...common } },
    delete: { operationId: "deleteSandbox", summary: "End a sandbox and free its files and contexts", parameters: [sandboxId], responses: { ...noContent, ...common } },
  },
  "/v1/sandboxes/{id}/execute": {
    post: {
      operationId: "executeInSandbox",
      summary: "Run a request with the sandbox's files as its working directory; what it writes or deletes stays",
      description:
        "The body is an ExecuteRequest: its `files` are written into the sandbox first; `code` runs as the entry file without being kept; with neither, `entrypoint` names a sandbox file to run. `Accept: text/event-stream` streams as POST /v1/execute does. A run that times out or is stopped leaves the files as they were.",
      parameters: [sandboxId],
      requestBody: jsonBody("ExecuteRequest"),
      responses: { "200": { description: "The program ran", content: dataOf("ExecuteResult") }, "400": errorResponse("Invalid field (named)"), ...common },
    },
  },
  "/v1/sandboxes/{id}/files": {
    get: {
      operationId: "listSandboxFiles",
      summary: "The entries directly in a directory of the sandbox",
      parameters: [sandboxId, { name: "dir", in: "query", schema: { type: "string" }, description: "Default: the working directory" }],
      responses: { "200": { description: "Entries, sorted by name", content: dataArrayOf("FileEntry") }, "400": errorResponse("Invalid dir"), ...common },
    },
  },
  "/v1/sandboxes/{id}/files/{path}": {
    get: {
      operationId: "readSandboxFile",
      summary: "A file's bytes, or JSON with ?encoding=utf8|base64",
      parameters: [sandboxId, filePathParam, { name: "encoding", in: "query", schema: { type: "string", enum: ["utf8", "base64"] } }],
      responses: {
        "200": {
          description: "The file",
          content: {
            ...bytesContent,
            "application/json": {
              schema: {
                type: "object",
                properties: { data: { type: "object", properties: { path: { type: "string" }, encoding: { type: "string" }, size: { type: "integer" }, content: { type: "string" } } } },
              },
            },
          },
        },
        "400": errorResponse("Invalid path or encoding"),
        ...common,
      },
    },
    put: {
      operationId: "writeSandboxFile",
      summary: "Create or replace a file; the body is its content (any Content-Type, taken as bytes)",
      parameters: [sandboxId, filePathParam],
      requestBody: { required: true, content: { "*/*": { schema: { type: "string" } } } },
      responses: { "200": { description: "Written: {data:{path,size}}" }, "400": errorResponse("Invalid path"), "413": errorResponse("Over the body limit, or the sandbox's quota (SESSION_QUOTA)"), ...common },
    },
    delete: { operationId: "deleteSandboxFile", summary: "Delete a file, or a directory with everything under it", parameters: [sandboxId, filePathParam], responses: { ...noContent, ...common } },
  },
  "/v1/sandboxes/{id}/snapshot": {
    post: {
      operationId: "snapshotSandbox",
      summary: "The sandbox's files as bytes; POST them to /v1/sandboxes (application/octet-stream) to bring them back",
      parameters: [sandboxId],
      responses: { "200": { description: "The snapshot", content: bytesContent }, ...common },
    },
  },
  "/v1/sandboxes/{id}/fork": {
    post: {
      operationId: "forkSandbox",
      summary: "An independent copy of the sandbox's files, as a new sandbox of the same key",
      parameters: [sandboxId],
      responses: { "201": { description: "The copy", content: dataOf("Sandbox") }, "429": errorResponse("SESSION_LIMIT"), ...common },
    },
  },
  "/v1/sandboxes/{id}/contexts": {
    post: {
      operationId: "createContext",
      summary: "A live interpreter (python, node, bun, ruby, php) over the sandbox's files",
      parameters: [sandboxId],
      requestBody: jsonBody("CreateContext"),
      responses: { "201": { description: "The context", content: dataOf("Context") }, "400": errorResponse("Invalid runtime"), "501": errorResponse("The server's sessions have no contexts"), ...common },
    },
    get: { operationId: "listContexts", summary: "The sandbox's contexts", parameters: [sandboxId], responses: { "200": { description: "Contexts", content: dataArrayOf("Context") }, ...common } },
  },
  "/v1/sandboxes/{id}/contexts/{cid}/run": {
    post: {
      operationId: "runInContext",
      summary: "Run code in the live interpreter: definitions, imports and variables stay for the next run",
      description: "`Accept: text/event-stream` streams stdout/stderr and the result as POST /v1/execute does.",
      parameters: [sandboxId, contextId],
      requestBody: jsonBody("RunContext"),
      responses: { "200": { description: "The run's result", content: dataOf("ContextResult") }, "400": errorResponse("Invalid field"), ...common },
    },
  },
  "/v1/sandboxes/{id}/contexts/{cid}/restart": {
    post: { operationId: "restartContext", summary: "A fresh interpreter: its state is gone, the files stay", parameters: [sandboxId, contextId], responses: { "200": { description: "Restarted", content: dataOf("Context") }, ...common } },
  },
  "/v1/sandboxes/{id}/contexts/{cid}": {
    delete: { operationId: "deleteContext", summary: "End a context", parameters: [sandboxId, contextId], responses: { ...noContent, ...common } },
  },
};

/** `jobs`: the server has a job queue (--redis), so the document lists its routes. */
export function openApiDocument(version: string, opts: { jobs?: boolean; sandboxes?: boolean } = {}): Record<string, unknown> {
  return {
    openapi: "3.1.0",
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    info: {
      title: "wasmbox",
      version,
      description: "Run untrusted code in seven languages inside WebAssembly.",
    },
    components: {
      schemas: {
        ExecuteRequest: jsonSchema(ExecuteRequestSchema, "input"),
        ExecuteResult: jsonSchema(ExecuteResultSchema, "output"),
        BatchRequest: jsonSchema(BatchRequestSchema, "input"),
        BatchResult: jsonSchema(BatchResultSchema, "output"),
        RuntimeInfo: runtimeInfoSchema,
        Error: errorSchema,
        ...(opts.jobs ? jobSchemas : {}),
        ...(opts.sandboxes ? sandboxSchemas : {}),
      },
      securitySchemes: { apiKey: { type: "apiKey", in: "header", name: "X-API-Key" } },
    },
    security: [{ apiKey: [] }],
    paths: {
      "/v1/execute": {
        post: {
          operationId: "execute",
          summary: "Run a program and return its output",
          requestBody: {
            required: true,
            content: { "application/json": { schema: { $ref: "#/components/schemas/ExecuteRequest" } } },
          },
          responses: {
            "200": {
              description: "The program ran (a failing or timed-out program is still a 200 with its result)",
              content: {
                "application/json": {
                  schema: {
                    type: "object",
                    required: ["data"],
                    properties: { data: { $ref: "#/components/schemas/ExecuteResult" } },
                  },
                },
                // Sent when the request has `Accept: text/event-stream`.
                "text/event-stream": {
                  schema: { type: "string" },
                  description:
                    "Server-sent events, in order: `stdout` and `stderr` events as the program writes (data: the text chunk as a JSON string, UTF-8 decoded, a character never split), then one `result` event (data: the result JSON, as `data` of the plain response) — or one `error` event (data: {\"error\":{\"code\",\"message\"}}) if the execution failed after output had started. Errors before any output keep their status and JSON body. Disconnecting ends the program.",
                },
              },
            },
            "400": errorResponse("Invalid JSON or an invalid field (the message names it)"),
            "401": errorResponse("Missing or wrong X-API-Key"),
            "413": errorResponse("Request body over the size limit"),
            "415": errorResponse("Content-Type is not application/json"),
            "429": {
              ...errorResponse("The queue is full; retry after the Retry-After header's seconds"),
              headers: { "Retry-After": { schema: { type: "integer" } } },
            },
            "503": errorResponse("The runtime cannot run on this server, or the server is shutting down"),
          },
        },
      },
      "/v1/batch": {
        post: {
          operationId: "executeBatch",
          summary: "Run one program on many test cases: compiled or loaded once, each case on a fresh instance",
          requestBody: {
            required: true,
            content: { "application/json": { schema: { $ref: "#/components/schemas/BatchRequest" } } },
          },
          responses: {
            "200": {
              description: "One result per case, in order (a failing case is still a 200 with its result)",
              content: {
                "application/json": {
                  schema: { type: "object", required: ["data"], properties: { data: { $ref: "#/components/schemas/BatchResult" } } },
                },
              },
            },
            "400": errorResponse("Invalid JSON or an invalid field (the message names it, e.g. cases[3].stdin), too many cases or bytes"),
            "401": errorResponse("Missing or wrong X-API-Key"),
            "413": errorResponse("Request body over the size limit"),
            "415": errorResponse("Content-Type is not application/json"),
            "429": {
              ...errorResponse("The queue is full; retry after the Retry-After header's seconds"),
              headers: { "Retry-After": { schema: { type: "integer" } } },
            },
            "503": errorResponse("The runtime cannot run on this server, or the server is shutting down"),
          },
        },
      },
      "/v1/execute/ws": {
        get: {
          operationId: "executeInteractive",
          summary: "Run a program interactively over a WebSocket",
          description:
            "Upgrade to a WebSocket (X-API-Key header as for every route; 401/503 refuse the upgrade). One execution per connection; every message is a JSON text frame. Client → server: first {\"type\":\"start\",\"request\":ExecuteRequest} (its `stdin`, if any, is sent first), then any number of {\"type\":\"stdin\",\"data\":string}, {\"type\":\"stdin-end\"} (end of input) and {\"type\":\"kill\"}. Server → client: {\"type\":\"stdout\"|\"stderr\",\"data\":string} as the program writes, then {\"type\":\"result\",\"data\":ExecuteResult} and a close with code 1000; or {\"type\":\"error\",\"error\":{\"code\",\"message\"}} and a close with code 1008. Timeout, output cap and queue apply as for POST /v1/execute; kill ends the program with exit code 130; a dropped connection ends it.",
          responses: {
            "101": { description: "Switching to the WebSocket protocol" },
            "401": errorResponse("Missing or wrong X-API-Key"),
            "503": errorResponse("The server is shutting down"),
          },
        },
      },
      "/v1/runtimes": {
        get: {
          operationId: "listRuntimes",
          summary: "Each runtime, its language version, and whether it is available",
          responses: {
            "200": {
              description: "The runtimes",
              content: {
                "application/json": {
                  schema: {
                    type: "object",
                    required: ["data"],
                    properties: { data: { type: "array", items: { $ref: "#/components/schemas/RuntimeInfo" } } },
                  },
                },
              },
            },
            "401": errorResponse("Missing or wrong X-API-Key"),
          },
        },
      },
      "/healthz": {
        get: {
          operationId: "health",
          summary: "Liveness and load",
          security: [],
          responses: {
            "200": { description: "Serving" },
            "503": { description: "Shutting down" },
          },
        },
      },
      "/v1/openapi.json": {
        get: { operationId: "openapi", summary: "This document", security: [], responses: { "200": { description: "OpenAPI 3.1" } } },
      },
      ...(opts.jobs ? jobPaths : {}),
      ...(opts.sandboxes ? sandboxPaths : {}),
    },
  };
}
