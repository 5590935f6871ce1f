package mnist

import (
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// maxTrailing is how many bytes after the last item ReadSet reads from a
// gzipped file to reach the end of the stream, and so check its CRC-32.
// Longer trailing data is left unread and unchecked.
const maxTrailing = 64 << 10

// ReadSet reads a set from an images file and its labels file. Each may be
// gzipped or raw: a file that starts with the gzip magic bytes 1f 8b is
// decompressed whatever its name. ReadSet rejects files whose counts
// differ and labels that are not digits 0 to 9.
func ReadSet(imagesPath, labelsPath string) (*Set, error) {
	var (
		images        []byte
		n, rows, cols int
		labels        []byte
	)
	err := readFile(imagesPath, func(r io.Reader) (err error) {
		images, n, rows, cols, err = readImages(r)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("mnist: read images %s: %w", imagesPath, err)
	}
	err = readFile(labelsPath, func(r io.Reader) (err error) {
		labels, err = readLabels(r)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("mnist: read labels %s: %w", labelsPath, err)
	}
	if len(labels) != n {
		return nil, &formatError{fmt.Sprintf("mnist: %s holds %d images but %s holds %d labels", imagesPath, n, labelsPath, len(labels))}
	}
	for i, l := range labels {
		if l > 9 {
			return nil, &formatError{fmt.Sprintf("mnist: read labels %s: label %d is %d, not a digit 0 to 9", labelsPath, i, l)}
		}
	}
	return &Set{Rows: rows, Cols: cols, Images: images, Labels: labels}, nil
}

// readFile opens path, decompresses it if it is gzipped, and calls read.
func readFile(path string, read func(io.Reader) error) error {
	f, err := os.Open(path)
	if err != nil {
		// The caller names the file; keep only why it failed.
		var pe *fs.PathError
		if errors.As(err, &pe) {
			return pe.Err
		}
		return err
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 64<<10)
	if magic, _ := br.Peek(2); len(magic) < 2 || magic[0] != 0x1f || magic[1] != 0x8b {
		return read(br)
	}
	zr, err := gzip.NewReader(br)
	if err != nil {
		return fmt.Errorf("gzip: %w", err)
	}
	// One gzip member holds the file; bytes after it are trailing data.
	zr.Multistream(false)
	if err := read(zr); err != nil {
		return err
	}
	// Reading to the end of the member checks its CRC-32 and length.
	if _, err := io.Copy(io.Discard, io.LimitReader(zr, maxTrailing)); err != nil {
		return fmt.Errorf("gzip: %w", err)
	}
	return nil
}

// names are the files of the MNIST training and test sets, as published.
// Load also accepts each with '.' before "idx" (train-images.idx3-ubyte, as
// some mirrors have it), and all of these with ".gz".
var names = [4]string{
	"train-images-idx3-ubyte",
	"train-labels-idx1-ubyte",
	"t10k-images-idx3-ubyte",
	"t10k-labels-idx1-ubyte",
}

// Load reads the training set (60000 images in MNIST) and the test set
// (10000) from the four MNIST files in dir, each gzipped or raw. A missing
// file gives an error that names it and wraps [fs.ErrNotExist].
func Load(dir string) (train, test *Set, err error) {
	var paths [4]string
	for i, name := range names {
		if paths[i], err = find(dir, name); err != nil {
			return nil, nil, err
		}
	}
	if train, err = ReadSet(paths[0], paths[1]); err != nil {
		return nil, nil, err
	}
	if test, err = ReadSet(paths[2], paths[3]); err != nil {
		return nil, nil, err
	}
	return train, test, nil
}

// find returns the path of the file in dir that goes by name or one of its
// variants.
func find(dir, name string) (string, error) {
	dotted := strings.Replace(name, "-idx", ".idx", 1)
	var tried []string
	for _, base := range []string{name, dotted} {
		for _, ext := range []string{".gz", ""} {
			p := filepath.Join(dir, base+ext)
			fi, err := os.Stat(p)
			if err == nil && fi.Mode().IsRegular() {
				return p, nil
			}
			if err != nil && !errors.Is(err, fs.ErrNotExist) {
				return "", fmt.Errorf("mnist: %w", err)
			}
			tried = append(tried, base+ext)
		}
	}
	return "", fmt.Errorf("mnist: no %s in %s (looked for %s): %w", name, dir, strings.Join(tried, ", "), fs.ErrNotExist)
}
