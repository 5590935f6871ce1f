package main

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// The peers' sides, written into a temporary folder at run time.
var (
	//go:embed torchbench.py
	torchScript []byte
	//go:embed ortbench.mjs
	ortScript []byte
)

const (
	// ortVersion is the onnxruntime-web that the wasm rows run against.
	ortVersion = "1.30.0"
	// torchThreads is PyTorch's intra-op thread count: both cores of the
	// two-core machines README's figures come from.
	torchThreads = 2
)

// debianPackages are what PyTorch's side needs from Debian. Without
// OpenBLAS, Debian's torch multiplies matrices with the reference BLAS
// (libblas3), some 15 times slower, and the comparison would flatter
// tegaki.
var debianPackages = []string{"python3-torch", "libopenblas0-pthread"}

// An env is where the programs run: the module's root, the scratch folder
// holding the scripts and models, and where progress and installers write.
type env struct {
	root    string        // the module's root, where go test runs
	tmp     string        // scratch folder: torchbench.py, ortbench.mjs, models/
	python  string        // the python3 that has Debian's torch
	ortDir  string        // holds node_modules/onnxruntime-web
	measure time.Duration // how long each figure is measured
	log     io.Writer     // progress and installers' output
}

// command runs name with args in dir, stdin from the given bytes, extra
// environment variables appended, and returns its standard output. The
// error includes the end of its standard error.
func command(dir string, stdin []byte, extraEnv []string, name string, args ...string) ([]byte, error) {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), extraEnv...)
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stdout.Bytes(), fmt.Errorf("%s %s: %v\n%s", name, strings.Join(args, " "), err, tail(stderr.String()+stdout.String(), 20))
	}
	return stdout.Bytes(), nil
}

// tail returns the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// lastJSON decodes the last line of out, where the scripts print their
// result, into v.
func lastJSON(out []byte, v any) error {
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), v); err != nil {
		return fmt.Errorf("reading the result %q: %v", tail(string(out), 3), err)
	}
	return nil
}

// torch runs torchbench.py with the request req and decodes its answer into v.
func (e *env) torch(req map[string]any, v any) error {
	in, err := json.Marshal(req)
	if err != nil {
		return err
	}
	// Debian's OpenBLAS would otherwise start a thread per core under
	// PyTorch's own two, oversubscribing the cores.
	out, err := command(e.tmp, in, []string{"OPENBLAS_NUM_THREADS=1"}, e.python, filepath.Join(e.tmp, "torchbench.py"))
	if err != nil {
		return fmt.Errorf("PyTorch: %v", err)
	}
	if err := lastJSON(out, v); err != nil {
		return fmt.Errorf("PyTorch: %v", err)
	}
	return nil
}

// torchInfo is what torchbench.py's probe reports.
type torchInfo struct {
	Version string   `json:"torch"`
	BLAS    []string `json:"blas"` // the BLAS libraries loaded, resolved
}

// openBLAS reports whether PyTorch multiplies matrices with OpenBLAS.
func (t torchInfo) openBLAS() bool {
	return slices.ContainsFunc(t.BLAS, func(p string) bool { return strings.Contains(p, "openblas") })
}

// ensureTorch makes sure that e.python imports torch backed by OpenBLAS,
// installing debianPackages with apt-get (through sudo unless root) if not.
func (e *env) ensureTorch() (torchInfo, error) {
	var info torchInfo
	err := e.torch(map[string]any{"mode": "probe"}, &info)
	if err == nil && info.openBLAS() {
		return info, nil
	}
	if err != nil {
		fmt.Fprintf(e.log, "peerbench: no PyTorch in %s; installing %s\n", e.python, strings.Join(debianPackages, " "))
	} else {
		fmt.Fprintf(e.log, "peerbench: PyTorch runs on %v, not OpenBLAS; installing %s\n", info.BLAS, strings.Join(debianPackages, " "))
	}
	if err := aptInstall(e.log, debianPackages...); err != nil {
		return info, err
	}
	if err := e.torch(map[string]any{"mode": "probe"}, &info); err != nil {
		return info, fmt.Errorf("after installing %s: %v", strings.Join(debianPackages, " "), err)
	}
	if !info.openBLAS() {
		fmt.Fprintf(e.log, "peerbench: warning: PyTorch still runs on %v, not OpenBLAS (see update-alternatives --display libblas.so.3-x86_64-linux-gnu); its figures will be low\n", info.BLAS)
	}
	return info, nil
}

// aptInstall installs Debian packages, through sudo unless root. If the
// first attempt fails, it updates the package lists and tries once more.
func aptInstall(log io.Writer, pkgs ...string) error {
	if _, err := exec.LookPath("apt-get"); err != nil {
		return fmt.Errorf("installing %s: no apt-get (this is for Debian and its derivatives; install PyTorch with OpenBLAS yourself and pass -python)", strings.Join(pkgs, " "))
	}
	run := func(args ...string) error {
		if os.Geteuid() != 0 {
			args = append([]string{"sudo"}, args...)
		}
		fmt.Fprintf(log, "peerbench: %s\n", strings.Join(args, " "))
		cmd := exec.Command(args[0], args[1:]...)
		cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
		cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, log, log
		return cmd.Run()
	}
	install := append([]string{"apt-get", "install", "-y", "--no-install-recommends"}, pkgs...)
	if err := run(install...); err == nil {
		return nil
	}
	if err := run("apt-get", "update"); err != nil {
		return fmt.Errorf("apt-get update: %v", err)
	}
	if err := run(install...); err != nil {
		return fmt.Errorf("apt-get install %s: %v", strings.Join(pkgs, " "), err)
	}
	return nil
}

// ensureORT makes sure that e.ortDir holds onnxruntime-web at ortVersion,
// installing it there with npm if not. The project's own package.json is
// not involved.
func (e *env) ensureORT() error {
	for _, tool := range []string{"node", "npm"} {
		if _, err := exec.LookPath(tool); err != nil {
			return fmt.Errorf("the wasm rows need Node.js and npm (apt-get install nodejs npm), or pass -skip-wasm: %v", err)
		}
	}
	if v, err := installedVersion(e.ortDir); err == nil && v == ortVersion {
		return nil
	}
	fmt.Fprintf(e.log, "peerbench: installing onnxruntime-web@%s into %s\n", ortVersion, e.ortDir)
	if err := os.MkdirAll(e.ortDir, 0o755); err != nil {
		return err
	}
	// A package.json of its own keeps npm from looking for one upwards.
	manifest := filepath.Join(e.ortDir, "package.json")
	if _, err := os.Stat(manifest); errors.Is(err, os.ErrNotExist) {
		if err := os.WriteFile(manifest, []byte(`{"name": "tegaki-peerbench-ort", "private": true}`+"\n"), 0o644); err != nil {
			return err
		}
	}
	if _, err := command(e.ortDir, nil, nil, "npm", "install", "--no-audit", "--no-fund", "onnxruntime-web@"+ortVersion); err != nil {
		return fmt.Errorf("installing onnxruntime-web: %v", err)
	}
	v, err := installedVersion(e.ortDir)
	if err != nil {
		return fmt.Errorf("installing onnxruntime-web: %v", err)
	}
	if v != ortVersion {
		return fmt.Errorf("installing onnxruntime-web: npm installed %s, want %s", v, ortVersion)
	}
	return nil
}

// installedVersion returns the version of onnxruntime-web in dir's
// node_modules.
func installedVersion(dir string) (string, error) {
	b, err := os.ReadFile(filepath.Join(dir, "node_modules", "onnxruntime-web", "package.json"))
	if err != nil {
		return "", err
	}
	var pkg struct{ Version string }
	if err := json.Unmarshal(b, &pkg); err != nil {
		return "", fmt.Errorf("onnxruntime-web's package.json: %v", err)
	}
	return pkg.Version, nil
}

// exportModels has PyTorch write each architecture as ONNX into
// e.tmp/models, for ORT-web.
func (e *env) exportModels() error {
	dir := filepath.Join(e.tmp, "models")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	var ignored map[string]any
	if err := e.torch(map[string]any{"mode": "export", "archs": archs, "dir": dir}, &ignored); err != nil {
		return fmt.Errorf("exporting ONNX models: %v", err)
	}
	return nil
}

// benchTorch runs one round of PyTorch: training and inference for each
// architecture, and torch.mm on each GEMM shape.
func (e *env) benchTorch(gemm []gemmShape) (measurements, error) {
	m := make(measurements)
	req := map[string]any{"mode": "bench", "archs": archs, "gemm": gemm, "seconds": e.measure.Seconds(), "threads": torchThreads}
	if err := e.torch(req, &m); err != nil {
		return nil, err
	}
	return m, nil
}

// benchORT runs one round of ORT-web: inference for each architecture.
func (e *env) benchORT() (measurements, error) {
	args := append([]string{filepath.Join(e.tmp, "ortbench.mjs"), e.ortDir, filepath.Join(e.tmp, "models"), fmt.Sprint(e.measure.Seconds())}, archs...)
	out, err := command(e.tmp, nil, nil, "node", args...)
	if err != nil {
		return nil, fmt.Errorf("ORT-web: %v", err)
	}
	m := make(measurements)
	if err := lastJSON(out, &m); err != nil {
		return nil, fmt.Errorf("ORT-web: %v", err)
	}
	return m, nil
}

// benchGo runs tegaki's benchmarks with go test: natively, Predict and
// TrainStep for each architecture and the default model, and GEMM in
// nn/internal/kernel if that package exists; under wasm in Node, Predict
// only.
func (e *env) benchGo(wasm bool) (measurements, error) {
	kinds := "Predict|TrainStep"
	pkgs := []string{"./nn"}
	var extraEnv []string
	args := []string{"test", "-run", "^$", "-benchtime", e.measure.String()}
	if wasm {
		kinds = "Predict"
		goroot, err := command(e.root, nil, nil, "go", "env", "GOROOT")
		if err != nil {
			return nil, err
		}
		args = append(args, "-exec", filepath.Join(strings.TrimSpace(string(goroot)), "lib", "wasm", "go_js_wasm_exec"))
		extraEnv = []string{"GOOS=js", "GOARCH=wasm"}
	}
	pattern := benchPattern(kinds, !wasm && hasKernel(e.root))
	if !wasm && hasKernel(e.root) {
		pkgs = append(pkgs, kernelPkg)
	}
	args = append(append(args, "-bench", pattern), pkgs...)
	out, err := command(e.root, nil, extraEnv, "go", args...)
	if err != nil {
		return nil, fmt.Errorf("tegaki: %v", err)
	}
	results, err := parseBench(bytes.NewReader(out))
	if err != nil {
		return nil, fmt.Errorf("tegaki: %v", err)
	}
	return goMeasurements(results), nil
}

// kernelPkg is where BenchmarkGEMM lives, once it does.
const kernelPkg = "./nn/internal/kernel"

// hasKernel reports whether the module at root has the kernel package.
func hasKernel(root string) bool {
	fi, err := os.Stat(filepath.Join(root, filepath.FromSlash(kernelPkg)))
	return err == nil && fi.IsDir()
}

// benchPattern returns go test's -bench pattern for the benchmarks kinds
// (such as "Predict|TrainStep") of each architecture and the default model,
// and BenchmarkGEMM with all its sub-benchmarks if gemm is set.
func benchPattern(kinds string, gemm bool) string {
	p := "(" + kinds + ")(" + strings.Join(append(slices.Clone(archs), defaultArch), "|") + ")"
	if gemm {
		p += "|GEMM"
	}
	return "^Benchmark(" + p + ")$"
}
