// A frame as Arrow IPC (file format): `ts` first, then the value columns in name order, all float64, so the bytes
// of every column survive the trip and hashFrame of the decoded frame equals the original's.
import { tableFromArrays, tableFromIPC, tableToIPC } from "apache-arrow";
import { Frame } from "../frame/mod.ts";

export function frameToArrow(frame: Frame): Uint8Array {
  const cols: Record<string, Float64Array> = { ts: frame.ts };
  for (const name of Object.keys(frame.columns).sort()) cols[name] = frame.columns[name]!;
  return tableToIPC(tableFromArrays(cols), "file");
}

export function frameFromArrow(bytes: Uint8Array): Frame {
  const table = tableFromIPC(bytes);
  const get = (name: string): Float64Array => {
    const a = table.getChild(name)?.toArray();
    if (!(a instanceof Float64Array)) throw new TypeError(`Arrow frame column ${JSON.stringify(name)} is not float64`);
    return a;
  };
  const columns: Record<string, Float64Array> = {};
  for (const f of table.schema.fields) if (f.name !== "ts") columns[f.name] = get(f.name);
  return new Frame(get("ts"), columns);
}
