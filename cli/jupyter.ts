// `deno run -A cli/jupyter.ts`: opens the notebooks in Jupyter with a Deno kernel that runs this very deno
// (the pinned one behind ./denow), or prints how to when Jupyter is not installed.
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseFlags, UsageError } from "./_cli.ts";

const USAGE = `Usage: ./denow task jupyter [--lab] [--print] [--kernelspec-dir DIR] [-- JUPYTER_ARGS...]

Opens notebooks/ in Jupyter with the Deno kernel. The kernel is this deno (${Deno.execPath()}),
so nothing needs to be on PATH: the launcher writes a kernelspec named "deno" into a temporary
directory, puts it first on JUPYTER_PATH and starts \`jupyter notebook\` (or \`jupyter lab\`).
The kernel finds deno.json by walking up from the notebook, so cells import ../lib/<module>/mod.ts
with the project's import map.

Options:
  --lab                 start JupyterLab instead of the classic notebook
  --print               only print how to open the notebooks; start nothing
  --kernelspec-dir DIR  write the kernelspec to DIR/kernels/deno/ and keep it (for example
                        ~/.local/share/jupyter to make the kernel available to every Jupyter)
  --help                this text

Without Jupyter on PATH it prints how to install it. To run notebooks headless (same outputs every run):
  ./denow task notebooks:run [NOTEBOOK...] [--to html]`;

/** A Jupyter kernelspec (`kernel.json`). */
export interface KernelSpec {
  argv: string[];
  display_name: string;
  language: string;
  env: Record<string, string>;
}

/**
 * The command of the committed kernelspec (jupyter/kernels/deno/kernel.json): the project's ./denow, found
 * from the kernelspec's own folder (Jupyter replaces `{resource_dir}`), so it runs the pinned deno and
 * needs no deno on PATH.
 */
export const COMMITTED_KERNEL_COMMAND = "{resource_dir}/../../../denow";

/** The kernelspec that starts `deno jupyter --kernel` with the given deno binary (or ./denow). */
export function kernelSpec(deno: string): KernelSpec {
  return {
    argv: [deno, "jupyter", "--kernel", "--conn", "{connection_file}"],
    display_name: "Deno (Sentinel)",
    language: "typescript",
    // Colour codes would end up as escape sequences in error outputs.
    env: { NO_COLOR: "1" },
  };
}

/**
 * Writes `<dir>/kernels/deno/kernel.json` for `deno` and returns `dir`, the entry to put on
 * JUPYTER_PATH. Jupyter picks the first kernelspec named `deno` along JUPYTER_PATH, before the
 * user's and the system's, so this one wins over a stale `deno jupyter --install`.
 */
export async function writeKernelSpec(dir: string, deno: string = Deno.execPath()): Promise<string> {
  const kernelDir = join(dir, "kernels", "deno");
  await Deno.mkdir(kernelDir, { recursive: true });
  await Deno.writeTextFile(join(kernelDir, "kernel.json"), JSON.stringify(kernelSpec(deno), null, 2) + "\n");
  return dir;
}

/** `dir` prepended to an existing JUPYTER_PATH value (path-list separator of this OS). */
export function prependJupyterPath(dir: string, existing: string | undefined): string {
  const sep = Deno.build.os === "windows" ? ";" : ":";
  return existing ? `${dir}${sep}${existing}` : dir;
}

/** The first executable called `name` on `path` (a PATH value), or null. */
export function findOnPath(name: string, path: string | undefined): string | null {
  const sep = Deno.build.os === "windows" ? ";" : ":";
  for (const dir of (path ?? "").split(sep)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      const info = Deno.statSync(candidate);
      if (info.isFile && (info.mode === null || (info.mode & 0o111) !== 0)) return candidate;
    } catch {
      // not there: keep looking
    }
  }
  return null;
}

/** What {@link instructions} needs to know. */
export interface InstructionsInput {
  /** Absolute path of notebooks/. */
  notebooksDir: string;
  /** Absolute path of the repository root. */
  root: string;
  /** Notebook file names. */
  notebooks: string[];
  /** The deno binary the kernel would run. */
  deno: string;
  /** The Jupyter front end found on PATH (`jupyter-notebook`, `jupyter-lab`), or null. */
  frontEnd: string | null;
}

/** The human text printed by `--print` and when Jupyter is missing. */
export function instructions(input: InstructionsInput): string {
  const lines = [
    `Notebooks in ${input.notebooksDir}:`,
    ...input.notebooks.map((n) => `  ${n}`),
    "",
  ];
  if (input.frontEnd === null) {
    lines.push(
      "Jupyter is not on PATH. Install a front end, for example:",
      "  sudo apt-get install jupyter-notebook      # Debian/Ubuntu",
      "  pipx install notebook                      # anywhere with Python",
      "then run this launcher again.",
      "",
    );
  }
  lines.push(
    "Start Jupyter with the pinned deno as the kernel (nothing else to set up):",
    "  ./denow task jupyter                     # or: ./denow task jupyter --lab",
    "or start any Jupyter with the project's kernelspec (it runs ./denow: no deno on PATH needed):",
    `  JUPYTER_PATH=${join(input.root, "jupyter")} jupyter notebook ${input.notebooksDir}`,
    "or install the kernelspec once for every Jupyter you run (it points at this deno):",
    "  ./denow task jupyter --print --kernelspec-dir ~/.local/share/jupyter",
    "",
    `The kernel runs: ${input.deno} jupyter --kernel`,
    "Run notebooks headless, the same outputs on every run (writes notebooks/<name>.out.ipynb or .html):",
    "  ./denow task notebooks:run [NOTEBOOK...] [--to html]",
  );
  return lines.join("\n");
}

async function listNotebooks(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    if (e.isFile && e.name.endsWith(".ipynb") && !e.name.endsWith(".out.ipynb")) names.push(e.name);
  }
  return names.sort();
}

async function main(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, {
    lab: { type: "boolean" },
    print: { type: "boolean" },
    "kernelspec-dir": { type: "string" },
    help: { type: "boolean", short: "h" },
  }, "cli/jupyter.ts");
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const root = fileURLToPath(new URL("..", import.meta.url)).replace(/\/$/, "");
  const notebooksDir = join(root, "notebooks");
  const deno = Deno.execPath();
  const path = Deno.env.get("PATH");
  const frontEnd = findOnPath(values.lab ? "jupyter-lab" : "jupyter-notebook", path);

  const keepDir = values["kernelspec-dir"] as string | undefined;
  if (keepDir !== undefined) {
    const dir = keepDir.replace(/^~(?=\/|$)/, Deno.env.get("HOME") ?? "~");
    await writeKernelSpec(dir, deno);
    console.error(`wrote ${join(dir, "kernels", "deno", "kernel.json")} (kernel: ${deno})`);
  }
  if (values.print || frontEnd === null) {
    console.log(instructions({
      notebooksDir,
      root,
      notebooks: await listNotebooks(notebooksDir),
      deno,
      frontEnd,
    }));
    return 0;
  }

  // A temporary kernelspec, so a moved or upgraded deno never leaves a stale one behind.
  const tmp = keepDir ?? await Deno.makeTempDir({ prefix: "sentinel-jupyter-" });
  try {
    if (keepDir === undefined) await writeKernelSpec(tmp, deno);
    const env = {
      JUPYTER_PATH: prependJupyterPath(tmp, Deno.env.get("JUPYTER_PATH")),
      // Silences a debugpy "frozen modules" warning Jupyter prints at every kernel start.
      PYDEVD_DISABLE_FILE_VALIDATION: "1",
    };
    const extra = [...positionals];
    // Jupyter refuses to run as root (containers, CI boxes) unless told to.
    if (Deno.uid() === 0 && !extra.includes("--allow-root")) extra.push("--allow-root");
    console.error(`starting ${frontEnd} on ${notebooksDir} (kernel: ${deno})`);
    const child = new Deno.Command(frontEnd, {
      args: [`--notebook-dir=${notebooksDir}`, ...extra],
      env,
      stdin: "inherit",
      stdout: "inherit",
      stderr: "inherit",
    }).spawn();
    // Ctrl-C belongs to Jupyter (it asks for confirmation); the launcher just waits for it to exit.
    const ignore = (): void => {};
    Deno.addSignalListener("SIGINT", ignore);
    try {
      return (await child.status).code;
    } finally {
      Deno.removeSignalListener("SIGINT", ignore);
    }
  } finally {
    if (keepDir === undefined) await Deno.remove(tmp, { recursive: true });
  }
}

// Not runCli: its Ctrl-C handling would print "interrupted" while Jupyter asks whether to shut down.
if (import.meta.main) {
  try {
    Deno.exit(await main(Deno.args));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`error: ${err.message}`);
    Deno.exit(2);
  }
}
