// Package mnisttest finds the MNIST files for tests, benchmarks and
// examples, so that package mnist itself only reads the folder it is
// given. Programs take the folder from their user (tools/train has -data).
package mnisttest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/tegaki/tegaki/nn/mnist"
)

// EnvDir is the environment variable that, when set, names the folder of
// MNIST files. Tests under WebAssembly, which cannot run the go command,
// are told the folder this way (the Makefile does).
const EnvDir = "TEGAKI_MNIST"

const (
	// moduleCachePath is where mnist.Module's files sit under the module
	// cache, which escapes each upper-case letter as '!' and its lower
	// case, at the version go.mod requires.
	moduleCachePath = "github.com/petar/!go!m!n!i!s!t@v0.0.0-20150320212226-2fbe10d0fa63"

	// goTimeout bounds the run of the go command, which may download.
	goTimeout = 2 * time.Minute
)

// Dir returns the folder of MNIST files. It tries, in order:
//
//  1. $TEGAKI_MNIST, which must then be a folder;
//  2. the data folder at GoMNIST's place in the module cache: $GOMODCACHE,
//     else pkg/mod in the first folder of $GOPATH, else in $HOME/go;
//  3. the data folder of the module as go mod download gives it, which
//     fetches it through the module proxy if need be.
//
// If none is found, the error says how to point the tests at the files.
func Dir() (string, error) {
	if dir := os.Getenv(EnvDir); dir != "" {
		fi, err := os.Stat(dir)
		if err != nil {
			return "", fmt.Errorf("mnisttest: $%s: %w", EnvDir, err)
		}
		if !fi.IsDir() {
			return "", fmt.Errorf("mnisttest: $%s: %s is not a folder", EnvDir, dir)
		}
		return dir, nil
	}
	var tried []string
	if cache := modCache(); cache != "" {
		data := filepath.Join(cache, filepath.FromSlash(moduleCachePath), "data")
		if isDir(data) {
			return data, nil
		}
		tried = append(tried, data)
	}
	dir, err := download()
	if err == nil {
		data := filepath.Join(dir, "data")
		if isDir(data) {
			return data, nil
		}
		tried = append(tried, data)
	} else {
		tried = append(tried, err.Error())
	}
	return "", fmt.Errorf("mnisttest: cannot find the MNIST files: set %s to a folder of the IDX files (tried %s)", EnvDir, strings.Join(tried, "; "))
}

// Load loads both sets from Dir.
func Load() (train, test *mnist.Set, err error) {
	dir, err := Dir()
	if err != nil {
		return nil, nil, err
	}
	return mnist.Load(dir)
}

// download returns mnist.Module's folder as go mod download gives it,
// fetching the module if it is not in the cache yet.
func download() (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), goTimeout)
	defer cancel()
	var stderr strings.Builder
	cmd := exec.CommandContext(ctx, "go", "mod", "download", "-json", mnist.Module)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			err = errors.New(msg)
		}
		return "", fmt.Errorf("go mod download %s: %w", mnist.Module, err)
	}
	var m struct{ Dir string }
	if err := json.Unmarshal(out, &m); err != nil || m.Dir == "" {
		return "", fmt.Errorf("go mod download %s: no folder in %q", mnist.Module, out)
	}
	return m.Dir, nil
}

// modCache returns the module cache folder as the go command would choose
// it by default, without running it, or "" if there is no way to tell.
func modCache() string {
	if cache := os.Getenv("GOMODCACHE"); cache != "" {
		return cache
	}
	for _, gopath := range filepath.SplitList(os.Getenv("GOPATH")) {
		if gopath != "" {
			return filepath.Join(gopath, "pkg", "mod")
		}
	}
	if home, err := os.UserHomeDir(); err == nil && home != "" {
		return filepath.Join(home, "go", "pkg", "mod")
	}
	return ""
}

func isDir(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.IsDir()
}
