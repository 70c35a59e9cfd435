/**
 * The OpenAPI 3.1 document, generated from the same zod schemas that validate requests, so the
 * documentation cannot drift from what the server accepts.
 */
import { z } from "zod";
import { ExecuteRequestSchema, ExecuteResultSchema, RUNTIME_NAMES } from "../request.js";

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
    version: { type: "string", description: 'Language version; "unknown" when it cannot be told' },
    available: { type: "boolean" },
    reason: { type: "string", description: "Why the runtime is unavailable, and what to install" },
  },
};

const errorResponse = (description: string) => ({
  description,
  content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
});

export function openApiDocument(version: string): Record<string, unknown> {
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
        RuntimeInfo: runtimeInfoSchema,
        Error: errorSchema,
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
    },
  };
}
