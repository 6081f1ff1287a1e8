// The subset of OpenAPI 3.1 the generators read.
export interface SchemaObject {
  $ref?: string
  type?: string | string[]
  enum?: unknown[]
  const?: unknown
  format?: string
  pattern?: string
  minLength?: number
  maxLength?: number
  minimum?: number
  maximum?: number
  exclusiveMinimum?: number
  exclusiveMaximum?: number
  minItems?: number
  maxItems?: number
  uniqueItems?: boolean
  minProperties?: number
  items?: SchemaObject
  properties?: Record<string, SchemaObject>
  required?: string[]
  additionalProperties?: boolean | SchemaObject
  oneOf?: SchemaObject[]
  anyOf?: SchemaObject[]
  allOf?: SchemaObject[]
  default?: unknown
  description?: string
  example?: unknown
}

export interface ParameterObject {
  $ref?: string
  name: string
  in: 'path' | 'query' | 'header'
  required?: boolean
  description?: string
  schema: SchemaObject
}

export interface MediaObject {
  schema: SchemaObject
}

export interface ResponseObject {
  $ref?: string
  description: string
  headers?: Record<string, { $ref: string }>
  content?: Record<string, MediaObject>
}

export interface OperationObject {
  operationId: string
  tags?: string[]
  summary?: string
  description?: string
  security?: Array<Record<string, string[]>>
  parameters?: ParameterObject[]
  requestBody?: { required?: boolean; content: Record<string, MediaObject> }
  responses: Record<string, ResponseObject>
  /** The rate-limit tier the operation's requests count against (see openapi/README or docs/operations.md). */
  'x-rate-limit-tier'?: string
}

export interface OpenApiDoc {
  openapi: string
  info: Record<string, unknown>
  security?: Array<Record<string, string[]>>
  paths: Record<string, Record<string, OperationObject>>
  components: {
    schemas: Record<string, SchemaObject>
    responses?: Record<string, ResponseObject>
    parameters?: Record<string, ParameterObject>
    headers?: Record<string, unknown>
    securitySchemes?: Record<string, unknown>
  }
}

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const
