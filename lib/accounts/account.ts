import type { AccountConfig } from "./account_config.ts";

/** An account as loaded: its validated config, where it lives, and the config's hash (the one in force). */
export interface Account {
  /** The data dir it was loaded from (absolute). */
  dataDir: string;
  name: string;
  /** `<dataDir>/_accounts/<name>` */
  dir: string;
  /** `<dir>/account.json` */
  path: string;
  config: AccountConfig;
  /** SHA-256 (hex) of the config's RFC 8785 canonical JSON (webhook URLs included, so a changed URL is a change). */
  configHash: string;
}
