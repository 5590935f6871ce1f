// Package cli is the command-line skeleton that tegaki's tools share: how
// flags are parsed, how a usage error is reported, and which exit status
// each outcome gets.
//
// A tool's main is one call:
//
//	func main() {
//		cli.Main("bundle", func() error { return run(os.Args[1:], os.Stdout, os.Stderr) })
//	}
//
// and its run parses its flags with Parse, reports a bad combination with
// Usage, and returns any other error for Main to log.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
)

// Exit statuses, the same for every tool.
const (
	ExitOK          = 0   // success, and -h
	ExitFailure     = 1   // the work failed; the error has been logged
	ExitUsage       = 2   // a bad command line, reported with the usage text
	ExitInterrupted = 130 // stopped by Ctrl-C before finishing, as shells report SIGINT
)

// ErrInterrupted is wrapped by the error of a run that Ctrl-C stopped
// before its work was done. (A server, whose work is to run until Ctrl-C,
// returns nil instead.)
var ErrInterrupted = errors.New("interrupted")

// A UsageError is a command-line error that has already been reported
// together with the usage text.
type UsageError struct{ Err error }

func (e UsageError) Error() string { return e.Err.Error() }
func (e UsageError) Unwrap() error { return e.Err }

// Parse parses args with fs, which should use flag.ContinueOnError. It
// returns flag.ErrHelp for -h, and a UsageError for a bad flag, which the
// flag package has reported with the usage text on fs.Output().
func Parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return UsageError{err}
	}
	return nil
}

// Usage reports err and then the usage text on fs.Output(), as the flag
// package does for a bad flag, and returns err as a UsageError.
func Usage(fs *flag.FlagSet, err error) error {
	fmt.Fprintln(fs.Output(), err)
	fs.Usage()
	return UsageError{err}
}

// Status returns the exit status for the error a run returned.
func Status(err error) int {
	var usage UsageError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return ExitOK
	case errors.As(err, &usage):
		return ExitUsage
	case errors.Is(err, ErrInterrupted):
		return ExitInterrupted
	}
	return ExitFailure
}

// Main runs a tool: it makes the standard logger print "name: " before
// each message and nothing else, calls run, logs the error it returns
// unless the usage text has already reported it, and exits with its
// Status.
func Main(name string, run func() error) {
	log.SetFlags(0)
	log.SetPrefix(name + ": ")
	err := run()
	if s := Status(err); s != ExitOK && s != ExitUsage {
		log.Print(err)
	}
	os.Exit(Status(err))
}
