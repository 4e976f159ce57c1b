/**
 * placeholder
 * @module
 */
export * from "./audit_event.ts";
export * from "./audit_log.ts";
export * from "./hash_event.ts";
export * from "./list_accounts.ts";
export * from "./redact_secrets.ts";
export * from "./replay.ts";
export * from "./export_audit_parquet.ts";
