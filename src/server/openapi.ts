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
    compiler: { type: "string", description: "Compiled languages (go, rust): which compiler runs, and why Rust needs the machine's" },
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
