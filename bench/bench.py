#!/usr/bin/python3
"""Drives the Regimen / PyTorch / DL4J benchmark (started by bench/run, which installs and builds first).

For each model (mlp, cnn) it starts one long-lived worker process per framework and then alternates
between them, so that the noise of a shared machine falls on all of them alike:

  info                 -> framework, version, variant ("full", or "plain" = without batch norm and dropout)
  gemm N REPS          -> float32 N^3 matmul GFLOP/s with that framework's BLAS
  warmup BATCHES       -> trains BATCHES batches (JIT, allocator and workspace warm-up; not reported)
  train SAMPLES        -> one shuffled pass (batch B) over the first SAMPLES training images: seconds
  infer SAMPLES        -> evaluation-mode predictions for the first SAMPLES test images: seconds
  epoch SAMPLES TEST   -> fresh model, one shuffled epoch over the first SAMPLES training images (60000 =
                          all of them), then accuracy on the first TEST test images (10000 = all)
  quit

Each answer is one line "@@RESULT {json}" on the worker's stdout; everything else a worker writes goes
to the run's log. Peak RSS is the worker's VmHWM from /proc/<pid>/status, read before it quits.

Every setting is an environment variable (see bench/README.md); BENCH_QUICK=1 is the smoke preset.
"""
import datetime
import json
import os
import platform
import re
import shlex
import statistics
import subprocess
import sys
import time

BENCH = os.path.dirname(os.path.abspath(__file__))
QUICK = os.environ.get("BENCH_QUICK", "0") not in ("", "0", "false", "no")


def env(name, full, quick=None):
    value = os.environ.get(name)
    if value is None or value == "":
        return quick if (QUICK and quick is not None) else full
    return type(full)(value) if not isinstance(full, str) else value


CFG = {
    "quick": QUICK,
    "models": env("BENCH_MODELS", "mlp,cnn").split(","),
    "frameworks": env("BENCH_FRAMEWORKS", "regimen,pytorch,dl4j").split(","),
    "reps": env("BENCH_REPS", 3),
    "train_samples_mlp": env("BENCH_TRAIN_SAMPLES_MLP", 20000, 2560),
    "train_samples_cnn": env("BENCH_TRAIN_SAMPLES_CNN", 5000, 640),
    "warmup_batches": env("BENCH_WARMUP_BATCHES", 30, 5),
    "infer_samples_mlp": env("BENCH_INFER_SAMPLES_MLP", 10000, 2000),
    "infer_samples_cnn": env("BENCH_INFER_SAMPLES_CNN", 5000, 640),
    "epoch_samples": env("BENCH_EPOCH_SAMPLES", 60000, 3000),
    "test_samples": env("BENCH_TEST_SAMPLES", 10000, 2000),
    "batch": env("BENCH_BATCH", 128),
    "infer_batch": env("BENCH_INFER_BATCH", 128),
    "threads": env("BENCH_THREADS", 2),
    "lr": env("BENCH_LR", 1e-3),
    "seed": env("BENCH_SEED", 42),
    "gemm_n": env("BENCH_GEMM_N", 1024),
    "gemm_reps": env("BENCH_GEMM_REPS", 10, 5),
    # Peers that also run the "plain" model (no batch norm, no dropout) when Regimen can only run that:
    # "auto" = pytorch and dl4j (quick: pytorch) when Regimen is plain, none when it is full; or a list, or "none".
    "plain_peers": env("BENCH_PLAIN_PEERS", "auto"),
    # The libnd4j build for Regimen and DL4J: "auto" = the one Regimen's NativeBuild chooses for this CPU
    # (what its users get); "plain" = the plain build; or another, e.g. "-avx512" (bench/run fetches it).
    "nd4j_extension": env("BENCH_ND4J_EXTENSION", "auto"),
    "regimen_commit": env("BENCH_REGIMEN_COMMIT", "unknown"),
    "regimen_source": env("BENCH_REGIMEN_SOURCE", "head"),
    "data": env("BENCH_DATA", "/usr/share/datasets/fashion-mnist"),
    "optimizer": "adam",
    "jvm_heap": env("BENCH_JVM_HEAP", "2g"),
    "javacpp_maxbytes": env("BENCH_JAVACPP_MAXBYTES", "4g"),
    "javacpp_maxphysicalbytes": env("BENCH_JAVACPP_MAXPHYSICALBYTES", "0"),
}

# FLOPs per sample (multiply-add = 2). Training is taken as 3x forward (forward, grad wrt input, grad wrt weights).
MLP_FWD_FLOPS = 2 * (784 * 512 + 512 * 512 + 512 * 10)
CNN_FWD_FLOPS = 2 * (28 * 28 * 32 * 9 * 1 + 14 * 14 * 64 * 9 * 32 + 7 * 7 * 64 * 128 + 128 * 10)
FWD_FLOPS = {"mlp": MLP_FWD_FLOPS, "cnn": CNN_FWD_FLOPS}

MODEL_NAMES = {
    "mlp": "MLP 784-512-BN-ReLU-Drop-512-BN-ReLU-Drop-10",
    "cnn": "CNN c3x3x32-BN-ReLU-mp2-c3x3x64-BN-ReLU-mp2-d128-Drop-d10",
}


def worker_env():
    e = dict(os.environ)
    e["OMP_NUM_THREADS"] = str(CFG["threads"])
    e["OMP_WAIT_POLICY"] = "passive"
    e["OPENBLAS_NUM_THREADS"] = str(CFG["threads"])
    e["MKL_NUM_THREADS"] = str(CFG["threads"])
    return e


def nd4j_extension():
    """The libnd4j build as a JavaCPP platform extension; "auto" asks Regimen's NativeBuild, once."""
    if CFG["nd4j_extension"] == "plain":
        CFG["nd4j_extension"] = ""
    if CFG["nd4j_extension"] == "auto":
        target = os.path.join(BENCH, "regimen", "target")
        if not os.path.exists(os.path.join(target, "classpath.txt")):
            raise RuntimeError("BENCH_ND4J_EXTENSION=auto needs the Regimen worker built (bench/run builds it); "
                               "name a build instead, e.g. BENCH_ND4J_EXTENSION=-onednn-avx2")
        with open(os.path.join(target, "classpath.txt")) as f:
            cp = os.path.join(target, "classes") + ":" + f.read().strip()
        out = subprocess.run(["java", "-cp", cp, "bench.regimen.RegimenWorker", "--native-build"],
                             capture_output=True, text=True, check=True).stdout.strip().splitlines()
        CFG["nd4j_extension"] = out[-1] if out and out[-1] != "plain" else ""
        say("libnd4j build chosen by Regimen for this CPU: linux-x86_64" + CFG["nd4j_extension"])
    return CFG["nd4j_extension"]


def java_cmd(project, main):
    target = os.path.join(BENCH, project, "target")
    with open(os.path.join(target, "classpath.txt")) as f:
        cp = os.path.join(target, "classes") + ":" + f.read().strip()
    # Both Java workers get the same build, named explicitly (for Regimen it is the one it would choose).
    extra = ["-Dorg.bytedeco.javacpp.platform.extension=" + nd4j_extension()]
    jar_dir = os.path.join(BENCH, "target", "nd4j-extra")
    if os.path.isdir(jar_dir) and os.listdir(jar_dir):
        cp = ":".join(os.path.join(jar_dir, j) for j in sorted(os.listdir(jar_dir))) + ":" + cp
    cache = os.environ.get("BENCH_JAVACPP_CACHE")
    # -Xmx only, as Regimen's launcher runs it: an -Xms as large lets the young generation grow over
    # ~200 MB of heap pages before the first collection, which peak RSS then counts.
    return ["java", "-Xmx" + CFG["jvm_heap"],
            "-Dorg.bytedeco.javacpp.maxbytes=" + CFG["javacpp_maxbytes"],
            "-Dorg.bytedeco.javacpp.maxphysicalbytes=" + CFG["javacpp_maxphysicalbytes"],
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-Dlog4j2.level=warn"] + extra + \
        (["-Dorg.bytedeco.javacpp.cachedir=" + cache] if cache else []) + ["-cp", cp, main]


def command_for(framework):
    if framework == "pytorch":
        return ["/usr/bin/python3", os.path.join(BENCH, "pytorch", "worker.py")], \
            {"LD_LIBRARY_PATH": "/usr/lib/x86_64-linux-gnu/openblas-openmp"}
    if framework == "dl4j":
        return java_cmd("dl4j", "bench.dl4j.Dl4jWorker"), {}
    if framework == "regimen":
        return java_cmd("regimen", "bench.regimen.RegimenWorker"), {}
    raise ValueError("unknown framework " + framework)


class Worker:
    def __init__(self, framework, model, variant, log):
        self.framework, self.model, self.variant, self.log = framework, model, variant, log
        self.key = framework if variant == "full" or framework == "regimen" else framework + "-plain"
        cmd, extra = command_for(framework)
        args = ["--model", model, "--data", CFG["data"], "--batch", str(CFG["batch"]),
                "--infer-batch", str(CFG["infer_batch"]), "--threads", str(CFG["threads"]),
                "--lr", str(CFG["lr"]), "--seed", str(CFG["seed"])]
        if framework != "regimen":
            args += ["--variant", variant]
        e = worker_env()
        e.update(extra)
        log.write("\n### start %s %s: %s\n" % (self.key, model, " ".join(shlex.quote(a) for a in cmd + args)))
        log.flush()
        self.t0 = time.time()
        self.proc = subprocess.Popen(cmd + args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log,
                                     text=True, bufsize=1, env=e, cwd=BENCH)
        self.error = None
        self.peak_rss_mb = None
        self._read("@@READY")
        self.startup_s = time.time() - self.t0

    def _read(self, marker):
        while True:
            line = self.proc.stdout.readline()
            if not line:
                rc = self.proc.wait()
                raise RuntimeError("%s (%s) exited with status %s; see the log" % (self.key, self.model, rc))
            if line.startswith(marker):
                return line[len(marker):].strip()
            self.log.write("[%s %s] %s" % (self.key, self.model, line))

    def ask(self, *cmd):
        self.proc.stdin.write(" ".join(str(c) for c in cmd) + "\n")
        self.proc.stdin.flush()
        result = json.loads(self._read("@@RESULT"))
        if "error" in result:
            raise RuntimeError("%s %s %s: %s" % (self.key, self.model, cmd[0], result["error"]))
        return result

    def rss(self):
        try:
            with open("/proc/%d/status" % self.proc.pid) as f:
                m = re.search(r"VmHWM:\s+(\d+) kB", f.read())
            return int(m.group(1)) / 1024.0 if m else None
        except OSError:
            return None

    def quit(self):
        if self.proc.poll() is None:
            self.peak_rss_mb = self.rss()
            try:
                self.proc.stdin.write("quit\n")
                self.proc.stdin.flush()
                self.proc.wait(timeout=60)
            except (OSError, subprocess.TimeoutExpired):
                self.proc.kill()
                self.proc.wait()


def say(msg):
    print("[%s] %s" % (time.strftime("%H:%M:%S"), msg), flush=True)


def stats(values):
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "n": len(values)}


def run_model(model, log, results, gemm):
    rows = {}
    workers = []

    def start(framework, variant):
        try:
            w = Worker(framework, model, variant, log)
            w.info = w.ask("info")
            workers.append(w)
            rows[w.key] = {"framework": framework, "model": model, "variant": w.info.get("variant", variant),
                           "info": w.info, "startup_s": w.startup_s}
            say("  %-13s %s ready in %.1fs: %s" % (w.key, model, w.startup_s, json.dumps(w.info)))
            return w
        except Exception as ex:  # keep going with the others
            say("  %s %s FAILED to start: %s" % (framework, model, ex))
            results["errors"].append("%s %s: %s" % (framework, model, ex))
            return None

    regimen_variant = None
    if "regimen" in CFG["frameworks"]:
        w = start("regimen", "auto")
        regimen_variant = rows["regimen"]["variant"] if w else None
    peers = [f for f in CFG["frameworks"] if f != "regimen"]
    for f in peers:
        start(f, "full")
    plain = CFG["plain_peers"]
    if plain == "auto":  # quick runs leave out DL4J's plain models: they only slow the smoke run down
        plain_peers = [p for p in peers if not (QUICK and p == "dl4j")] if regimen_variant == "plain" else []
    elif plain in ("none", ""):
        plain_peers = []
    else:
        plain_peers = [p for p in plain.split(",") if p in peers]
    for f in plain_peers:
        start(f, "plain")

    def each(label, fn, rotate=0):
        order = workers[rotate % len(workers):] + workers[:rotate % len(workers)] if workers else []
        for w in order:
            if w.error:
                continue
            try:
                fn(w)
            except Exception as ex:
                w.error = str(ex)
                rows[w.key]["error"] = w.error
                results["errors"].append(w.error)
                say("  %s %s %s FAILED: %s" % (w.key, model, label, ex))

    def do_gemm(w):
        g = w.ask("gemm", CFG["gemm_n"], CFG["gemm_reps"])
        blas = "torch" if w.framework == "pytorch" else "nd4j (" + w.framework + ")"
        gemm.setdefault(blas, []).append(g)
        say("  %-13s gemm %d^3: median %.1f GFLOP/s, best %.1f" % (w.key, g["n"], g["gflops_median"], g["gflops_best"]))

    each("gemm", do_gemm)

    def warm(w):
        r = w.ask("warmup", CFG["warmup_batches"])
        rows[w.key]["warmup_s"] = r["seconds"]
        say("  %-13s warm-up %d batches in %.1fs" % (w.key, r["batches"], r["seconds"]))

    each("warmup", warm)

    n_train = CFG["train_samples_" + model]
    for rep in range(CFG["reps"]):
        def train(w):
            r = w.ask("train", n_train)
            sps = r["samples"] / r["seconds"]
            rows[w.key].setdefault("train_sps", []).append(sps)
            say("  %-13s train rep %d: %d samples in %.2fs = %.0f samples/s (loss %.3f)"
                % (w.key, rep + 1, r["samples"], r["seconds"], sps, r["loss"]))
        each("train", train, rotate=rep)

    n_infer = CFG["infer_samples_" + model]
    each("infer warm-up", lambda w: w.ask("infer", min(n_infer, 4 * CFG["infer_batch"])))
    for rep in range(CFG["reps"]):
        def infer(w):
            r = w.ask("infer", n_infer)
            sps = r["samples"] / r["seconds"]
            rows[w.key].setdefault("infer_sps", []).append(sps)
            say("  %-13s infer rep %d: %d samples in %.2fs = %.0f samples/s" % (w.key, rep + 1, r["samples"],
                                                                                   r["seconds"], sps))
        each("infer", infer, rotate=rep)

    if CFG["epoch_samples"] > 0:
        def epoch(w):
            r = w.ask("epoch", CFG["epoch_samples"], CFG["test_samples"])
            rows[w.key]["epoch"] = {"samples": r["samples"], "test_samples": r["test_samples"],
                                    "seconds": r["seconds"], "accuracy": r["accuracy"],
                                    "loss": r["loss"], "sps": r["samples"] / r["seconds"]}
            say("  %-13s 1 epoch on %d samples in %.1fs (%.0f samples/s): test accuracy %.4f"
                % (w.key, r["samples"], r["seconds"], r["samples"] / r["seconds"], r["accuracy"]))
        each("epoch", epoch)

    for w in workers:
        w.quit()
        rows[w.key]["peak_rss_mb"] = w.peak_rss_mb
    for key, row in rows.items():
        for k in ("train_sps", "infer_sps"):
            if row.get(k):
                row[k] = stats(row[k])
        results["rows"].append(row)


def machine():
    info = {"python": platform.python_version(), "kernel": platform.release()}
    try:
        with open("/proc/cpuinfo") as f:
            cpu = f.read()
        info["cpu"] = re.search(r"model name\s*:\s*(.*)", cpu).group(1)
        flags = re.search(r"flags\s*:\s*(.*)", cpu).group(1).split()
        info["avx512f"] = "avx512f" in flags
    except (OSError, AttributeError):
        pass
    info["cores"] = os.cpu_count()
    try:
        with open("/proc/meminfo") as f:
            info["mem_gb"] = round(int(re.search(r"MemTotal:\s+(\d+)", f.read()).group(1)) / 1024 / 1024, 1)
    except (OSError, AttributeError):
        pass
    try:
        info["java"] = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]
    except OSError:
        pass
    info["load_avg_start"] = os.getloadavg()
    return info


def fmt_stats(s):
    if not s:
        return "-"
    return "%.0f (%.0f-%.0f)" % (s["median"], s["min"], s["max"])


def table(results):
    lines = []
    # The ceiling is the best single sgemm seen: on a shared machine the medians mostly measure the neighbours.
    ceiling = max((g["gflops_best"] for gs in results["gemm"].values() for g in gs), default=None)
    lines.append("Fashion-MNIST, batch %d, %d threads, float32, Adam lr %g; training samples/s over %d reps of "
                 "%s samples after %d warm-up batches; inference batch %d; ND4J build linux-x86_64%s; Regimen %s (%s)." % (
                     CFG["batch"], CFG["threads"], CFG["lr"], CFG["reps"],
                     "/".join("%d (%s)" % (CFG["train_samples_" + m], m) for m in CFG["models"]),
                     CFG["warmup_batches"], CFG["infer_batch"], CFG["nd4j_extension"], CFG["regimen_commit"],
                     CFG["regimen_source"]))
    lines.append("")
    hdr = "| framework | model | variant | train samples/s median (min-max) | infer samples/s median (min-max) " \
          "| test acc, 1 epoch | epoch samples/s | peak RSS MB |"
    lines.append(hdr)
    lines.append("|" + "---|" * 8)
    for r in results["rows"]:
        ep = r.get("epoch")
        acc = "%.4f" % ep["accuracy"] if ep else "-"
        if ep and (ep["samples"] < 60000 or ep.get("test_samples", 10000) < 10000):
            acc += " (%g/%gk)" % (ep["samples"] / 1000, ep.get("test_samples", 10000) / 1000)
        lines.append("| %s | %s | %s | %s | %s | %s | %s | %s |" % (
            r["framework"], r["model"], r["variant"], fmt_stats(r.get("train_sps")), fmt_stats(r.get("infer_sps")),
            acc, "%.0f" % ep["sps"] if ep else "-",
            "%.0f" % r["peak_rss_mb"] if r.get("peak_rss_mb") else "-") + (" ERROR" if r.get("error") else ""))
    lines.append("")
    reg_variants = sorted({r["variant"] for r in results["rows"] if r["framework"] == "regimen"})
    if reg_variants:
        lines.append("variant: full = the models above; plain = the same without batch norm and dropout. "
                     "Regimen ran: %s%s."
                     % (", ".join(reg_variants), " (its batchnorm/dropout components were not found, so the "
                        "peers' plain rows are the fair comparison)" if "plain" in reg_variants else
                        " (batchnorm and dropout from its plugins)"))
    lines.append("")
    # Ratios: against the peer running the same variant as Regimen.
    for m in CFG["models"]:
        reg = next((r for r in results["rows"] if r["framework"] == "regimen" and r["model"] == m), None)
        if not reg or not reg.get("train_sps"):
            continue
        for peer in ("pytorch", "dl4j"):
            same = [r for r in results["rows"] if r["framework"] == peer and r["model"] == m and r.get("train_sps")]
            for r in sorted(same, key=lambda r: r["variant"] != reg["variant"]):
                t = reg["train_sps"]["median"] / r["train_sps"]["median"]
                i = reg["infer_sps"]["median"] / r["infer_sps"]["median"] if reg.get("infer_sps") and r.get(
                    "infer_sps") else float("nan")
                note = "same model" if r["variant"] == reg["variant"] else "regimen %s vs %s %s" % (
                    reg["variant"], peer, r["variant"])
                lines.append("ratio regimen/%s %s: training %.2fx, inference %.2fx (%s)" % (peer, m, t, i, note))
                results["ratios"].append({"model": m, "peer": peer, "regimen_variant": reg["variant"],
                                          "peer_variant": r["variant"], "train": t, "infer": i})
    lines.append("")
    for blas, gs in results["gemm"].items():
        med = statistics.median(g["gflops_median"] for g in gs)
        lines.append("sgemm %d^3 via %s: %.0f GFLOP/s (median of %d runs' medians; best single %.0f)" % (
            CFG["gemm_n"], blas, med, len(gs), max(g["gflops_best"] for g in gs)))
    if ceiling:
        lines.append("machine float32 matmul ceiling (best single sgemm above): %.0f GFLOP/s" % ceiling)
        for r in results["rows"]:
            if r["model"] != "mlp" or not r.get("train_sps"):
                continue
            blas = "torch" if r["framework"] == "pytorch" else "nd4j (" + r["framework"] + ")"
            own = max(g["gflops_best"] for g in results["gemm"].get(blas, [{"gflops_best": ceiling}]))
            tr = r["train_sps"]["median"] * 3 * MLP_FWD_FLOPS / 1e9
            inf = r["infer_sps"]["median"] * MLP_FWD_FLOPS / 1e9 if r.get("infer_sps") else float("nan")
            lines.append("MLP %-8s %-5s: training %.1f GFLOP/s = %.0f%% of the ceiling (%.0f%% of its own BLAS); "
                         "inference %.1f GFLOP/s = %.0f%%" % (r["framework"], r["variant"], tr, 100 * tr / ceiling,
                                                              100 * tr / own, inf, 100 * inf / ceiling))
        lines.append("(MLP forward %.2f MFLOP/sample, training ~3x; BN/dropout/bias/activations not counted)"
                     % (MLP_FWD_FLOPS / 1e6))
    return "\n".join(lines)


def main():
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    name = stamp + ("-quick" if QUICK else "") + (("-nd4j" + nd4j_extension()) if nd4j_extension() else "")
    os.makedirs(os.path.join(BENCH, "results"), exist_ok=True)
    log_path = os.path.join(BENCH, "results", name + ".log")
    results = {"name": name, "config": CFG, "machine": machine(), "rows": [], "gemm": {}, "ratios": [],
               "errors": [], "mlp_fwd_flops": MLP_FWD_FLOPS, "cnn_fwd_flops": CNN_FWD_FLOPS}
    say("config: " + json.dumps(CFG))
    say("machine: " + json.dumps(results["machine"]))
    t0 = time.time()
    with open(log_path, "w") as log:
        for model in CFG["models"]:
            say("== %s ==" % MODEL_NAMES[model])
            run_model(model, log, results, results["gemm"])
    results["machine"]["load_avg_end"] = os.getloadavg()
    results["wall_s"] = time.time() - t0
    text = table(results)
    results["table"] = text
    print()
    print(text)
    if results["errors"]:
        print("\nERRORS:\n  " + "\n  ".join(results["errors"]))
    out = os.path.join(BENCH, "results", name + ".json")
    with open(out, "w") as f:
        json.dump(results, f, indent=1)
    say("wrote %s (worker output in %s); %.0f s in all" % (os.path.relpath(out, os.getcwd()),
                                                         os.path.relpath(log_path, os.getcwd()), results["wall_s"]))
    return 1 if results["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
