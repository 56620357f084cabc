/** The one place herd's admin app names its Hono dependency (mapped in zk/deno.json). */
export { Hono } from "hono";
