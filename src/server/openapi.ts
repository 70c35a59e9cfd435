/**
 * The OpenAPI 3.1 document, generated from the same zod schemas that validate requests, so the
 * documentation cannot drift from what the server accepts.
 */
import { z } from "zod";
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

/** `jobs`: the server has a job queue (--redis), so the document lists its routes. */
export function openApiDocument(version: string, opts: { jobs?: boolean } = {}): Record<string, unknown> {
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
    },
  };
}
