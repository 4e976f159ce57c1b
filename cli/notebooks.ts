// `deno task notebooks:run [NOTEBOOK...] [--to html] [--out DIR]`: executes notebooks headless with the real
// Deno kernel and writes the executed copies, the same outputs on every run (jupyter/run_notebook.py says how).
import { basename, dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseFlags, parseNumberFlag, runCli, UsageError } from "./_cli.ts";
import { prependJupyterPath, writeKernelSpec } from "./jupyter.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url)).replace(/\/$/, "");
const NOTEBOOKS_DIR = join(ROOT, "notebooks");
const DRIVER = join(ROOT, "jupyter", "run_notebook.py");
/** Debian's python has jupyter-client and nbformat; a `python3` first on PATH (a venv) may not. */
const DEFAULT_PYTHON = "/usr/bin/python3";

const USAGE = `Usage: deno task notebooks:run [NOTEBOOK...] [--to notebook|html] [--out DIR] [--timeout SECONDS]

Executes notebooks top to bottom with the project's Deno kernel (the deno running this task; nothing
needs to be on PATH) and writes the executed copy. Outputs are the same on every run: each cell's
outputs are collected until the kernel confirms they were all sent, even the ones Deno's kernel
publishes after reporting the cell done (plain \`jupyter nbconvert --execute\` drops or misfiles those).

NOTEBOOK is a path to an .ipynb file or the start of a name in notebooks/ (\`01\`, \`01_quickstart\`).
Without one, every notebook in notebooks/ runs.

Options:
  --to notebook|html   notebook (default): write <name>.out.ipynb; html: write <name>.html (nbconvert's
                       HTML exporter; figures are inline SVG)
  --out DIR            where to write (default: beside each notebook; notebooks/*.out.ipynb and
                       notebooks/*.html are git-ignored)
  --timeout SECONDS    longest a single cell may run (default 300)
  --python PATH        the Python with jupyter-client and nbformat (default ${DEFAULT_PYTHON})
  --help               this text

Progress is printed per cell on stderr. On a cell error the executed copy (with the error) is still
written, the remaining notebooks still run, and the exit code is 1, naming the notebook and the cell.
Needs Debian's jupyter-nbconvert (apt-get install jupyter-nbconvert), which brings jupyter-client,
nbformat and nbconvert.`;

/** Output formats of {@link runNotebook}. */
export type NotebookFormat = "notebook" | "html";

/** Options of {@link runNotebook}. */
export interface RunNotebookOptions {
  /** Path of the .ipynb to execute. */
  notebook: string;
  /** Where the executed copy goes (`<name>.out.ipynb`, or `<name>.html` for html). */
  output: string;
  /** Format of {@link RunNotebookOptions.output}. Default "notebook". */
  to?: NotebookFormat;
  /** Longest a single cell may run, in seconds. Default 300. */
  timeoutSeconds?: number;
  /** Python with jupyter-client and nbformat (and nbconvert for html). Default /usr/bin/python3. */
  python?: string;
  /** Called for each progress event (one per executed cell). */
  onCell?: (cell: CellProgress) => void;
}

/** One executed cell, as reported while a notebook runs. */
export interface CellProgress {
  /** Index of the cell in the notebook (markdown cells count). */
  index: number;
  /** 1-based number among the code cells, and how many code cells there are. */
  n: number;
  of: number;
  /** "ok", "error" or "timeout". */
  status: string;
  seconds: number;
  /** Output types, in order (`stream`, `execute_result`, `display_data`, `error`). */
  outputs: string[];
}

/** What {@link runNotebook} did. */
export interface NotebookRun {
  notebook: string;
  output: string;
  seconds: number;
  cells: CellProgress[];
  /** The failing cell, or null when every cell ran. */
  failed: { index: number; id: string | null; n: number; ename: string; evalue: string } | null;
  /** Notes from the executor (late messages it filed under an earlier cell). */
  warnings: string[];
  /** The driver's and kernel's stderr (warnings), for a look when something failed. */
  stderr: string;
}

/** `<out dir>/<name>.out.ipynb` or `<out dir>/<name>.html` for `notebook`; the out dir defaults to its folder. */
export function outputPath(notebook: string, to: NotebookFormat, outDir?: string): string {
  const stem = basename(notebook).replace(/(\.out)?\.ipynb$/, "");
  return join(outDir ?? dirname(notebook), to === "html" ? `${stem}.html` : `${stem}.out.ipynb`);
}

/**
 * Resolves a NOTEBOOK argument: an existing .ipynb path (relative to `cwd`), or the start of a notebook's
 * name in `dir`.
 * Throws a UsageError naming the argument and the notebooks there when neither matches exactly one.
 */
export function resolveNotebook(arg: string, dir: string = NOTEBOOKS_DIR, cwd: string = Deno.cwd()): string {
  const path = resolve(cwd, arg);
  try {
    if (Deno.statSync(path).isFile) {
      if (!arg.endsWith(".ipynb")) throw new UsageError(`${arg} is not a notebook: give an .ipynb file`);
      return path;
    }
  } catch (err) {
    if (err instanceof UsageError) throw err;
  }
  const names = listNotebooks(dir);
  const hits = names.filter((n) => n === arg || n.startsWith(arg));
  if (hits.length === 1) return join(dir, hits[0]!);
  const what = hits.length === 0 ? "no notebook" : `${hits.length} notebooks (${hits.join(", ")})`;
  throw new UsageError(
    `${JSON.stringify(arg)} matches ${what}: give an .ipynb path or the start of one of ${names.join(", ")}`,
  );
}

/** The notebooks in `dir` (not executed copies), sorted. */
export function listNotebooks(dir: string = NOTEBOOKS_DIR): string[] {
  return [...Deno.readDirSync(dir)]
    .filter((e) => e.isFile && e.name.endsWith(".ipynb") && !e.name.endsWith(".out.ipynb"))
    .map((e) => e.name)
    .sort();
}

/** Checks that `python` can import what the driver needs; the error says what to install. */
export async function checkPython(python: string, to: NotebookFormat): Promise<void> {
  const modules = to === "html" ? "jupyter_client, nbformat, nbconvert" : "jupyter_client, nbformat";
  let out: Deno.CommandOutput;
  try {
    out = await new Deno.Command(python, { args: ["-c", `import ${modules}`], stdout: "null", stderr: "piped" })
      .output();
  } catch (err) {
    throw new UsageError(
      `cannot run ${python} (${(err as Error).message}): install Jupyter's executor with ` +
        "`sudo apt-get install jupyter-nbconvert`, or pass --python PATH",
    );
  }
  if (!out.success) {
    const last = new TextDecoder().decode(out.stderr).trim().split("\n").pop() ?? "";
    throw new UsageError(
      `${python} cannot import ${modules} (${last}): install them with ` +
        "`sudo apt-get install jupyter-nbconvert` (or `pip install nbconvert`), or pass --python PATH",
    );
  }
}

interface DriverEvent {
  event: "start" | "cell" | "warning" | "done";
  cells?: number;
  index?: number;
  n?: number;
  status?: string;
  seconds?: number;
  outputs?: string[];
  message?: string;
  failed?: { index: number; ename: string; evalue: string } | null;
}

/**
 * Executes one notebook with the Deno kernel (this very deno, through a temporary kernelspec) and
 * writes the executed copy. Cell errors do not throw: they come back in {@link NotebookRun.failed}.
 * Throws when the executor itself cannot run (no Python, kernel did not start).
 */
export async function runNotebook(options: RunNotebookOptions): Promise<NotebookRun> {
  const to = options.to ?? "notebook";
  const kernels = await Deno.makeTempDir({ prefix: "sentinel-kernel-" });
  const t0 = performance.now();
  try {
    await writeKernelSpec(kernels, Deno.execPath());
    await Deno.mkdir(dirname(options.output), { recursive: true });
    const spec = {
      src: options.notebook,
      cwd: dirname(options.notebook),
      timeout: options.timeoutSeconds ?? 300,
      ...(to === "html" ? { html: options.output } : { out: options.output }),
    };
    const child = new Deno.Command(options.python ?? DEFAULT_PYTHON, {
      args: [DRIVER, JSON.stringify(spec)],
      env: {
        JUPYTER_PATH: prependJupyterPath(kernels, Deno.env.get("JUPYTER_PATH")),
        NO_COLOR: "1",
        // Silences a debugpy "frozen modules" warning printed at every kernel start.
        PYDEVD_DISABLE_FILE_VALIDATION: "1",
      },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const stderr = new Response(child.stderr).text();
    const cells: CellProgress[] = [];
    const warnings: string[] = [];
    let total = 0;
    let done: DriverEvent | null = null;
    let buf = "";
    const decoder = new TextDecoder();
    const handle = (line: string): void => {
      if (!line.trim()) return;
      let ev: DriverEvent;
      try {
        ev = JSON.parse(line) as DriverEvent;
      } catch {
        return; // not ours (a library printing to stdout)
      }
      if (ev.event === "start") total = ev.cells ?? 0;
      else if (ev.event === "cell") {
        const cell: CellProgress = {
          index: ev.index ?? -1,
          n: ev.n ?? 0,
          of: total,
          status: ev.status ?? "?",
          seconds: ev.seconds ?? 0,
          outputs: ev.outputs ?? [],
        };
        cells.push(cell);
        options.onCell?.(cell);
      } else if (ev.event === "warning") warnings.push(ev.message ?? "");
      else if (ev.event === "done") done = ev;
    };
    for await (const chunk of child.stdout) {
      buf += decoder.decode(chunk, { stream: true });
      let nl: number;
      while ((nl = buf.indexOf("\n")) >= 0) {
        handle(buf.slice(0, nl));
        buf = buf.slice(nl + 1);
      }
    }
    handle(buf);
    const status = await child.status;
    const err = await stderr;
    const finished = done as DriverEvent | null;
    if (!status.success || finished === null) {
      throw new Error(
        `could not execute ${options.notebook} (executor exit ${status.code}):\n${err.trim().slice(-3000)}`,
      );
    }
    let failed: NotebookRun["failed"] = null;
    if (finished.failed) {
      const nb = JSON.parse(await Deno.readTextFile(options.notebook)) as { cells: { id?: string }[] };
      const f = finished.failed;
      failed = {
        ...f,
        id: nb.cells[f.index]?.id ?? null,
        n: cells.find((c) => c.index === f.index)?.n ?? 0,
      };
    }
    return {
      notebook: options.notebook,
      output: options.output,
      seconds: Math.round(performance.now() - t0) / 1000,
      cells,
      failed,
      warnings,
      stderr: err,
    };
  } finally {
    await Deno.remove(kernels, { recursive: true });
  }
}

/** The one-line description of a failed cell: notebook, cell index and id, code cell number, error. */
export function describeFailure(run: NotebookRun, total: number): string {
  const f = run.failed!;
  const id = f.id ? `, id ${f.id}` : "";
  return `${basename(run.notebook)} cell ${f.index} (code cell ${f.n} of ${total}${id}): ${f.ename}: ${f.evalue}`;
}

async function main(args: string[], signal: AbortSignal): Promise<number> {
  const { values, positionals } = parseFlags(args, {
    to: { type: "string" },
    out: { type: "string" },
    timeout: { type: "string" },
    python: { type: "string" },
    help: { type: "boolean", short: "h" },
  }, "deno task notebooks:run");
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const to = (values.to ?? "notebook") as string;
  if (to !== "notebook" && to !== "html") {
    throw new UsageError(`--to ${JSON.stringify(to)} is not a format: use --to notebook or --to html`);
  }
  const timeoutSeconds = values.timeout === undefined
    ? 300
    : parseNumberFlag("timeout", values.timeout as string, (x) => x > 0, "seconds, more than 0");
  const python = (values.python as string | undefined) ?? DEFAULT_PYTHON;
  // `deno task` runs in the project root; paths on the command line are relative to where it was typed.
  const base = Deno.env.get("INIT_CWD") ?? Deno.cwd();
  const outDir = values.out === undefined ? undefined : resolve(base, values.out as string);
  const notebooks = positionals.length > 0
    ? positionals.map((p) => resolveNotebook(p, NOTEBOOKS_DIR, base))
    : listNotebooks().map((n) => join(NOTEBOOKS_DIR, n));
  await checkPython(python, to);

  const failures: string[] = [];
  for (const notebook of notebooks) {
    const name = basename(notebook);
    const output = outputPath(notebook, to, outDir);
    let run: NotebookRun;
    try {
      run = await runNotebook({
        notebook,
        output,
        to,
        timeoutSeconds,
        python,
        onCell: (c) => {
          const outs = c.outputs.length > 0 ? `  ${c.outputs.join(", ")}` : "";
          console.error(
            `${name} [${String(c.n).padStart(2)}/${c.of}] cell ${c.index} ${c.status} ${c.seconds.toFixed(2)} s${outs}`,
          );
        },
      });
    } catch (err) {
      // Ctrl-C reaches the executor too (same process group); say it was the interrupt, not a failure.
      if (signal.aborted) throw signal.reason;
      // The executor could not run (kernel did not start...): its stderr is the explanation, not our stack.
      console.error(`error: ${(err as Error).message}`);
      return 1;
    }
    if (signal.aborted) throw signal.reason;
    for (const w of run.warnings) console.error(`${name}: warning: ${w}`);
    const total = run.cells[0]?.of ?? 0;
    const rel = relative(base, output);
    const shown = rel.startsWith("..") ? output : rel;
    if (run.failed) {
      const line = describeFailure(run, total);
      failures.push(line);
      console.error(`${name}: FAILED, wrote ${shown} with the error`);
    } else {
      console.error(`${name}: ok, ${run.cells.length} cells in ${run.seconds.toFixed(1)} s, wrote ${shown}`);
    }
  }
  for (const line of failures) console.error(`error: ${line}`);
  return failures.length > 0 ? 1 : 0;
}

if (import.meta.main) await runCli(main);
