package safetensors

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// chunk is the size of the buffer Read decodes the data section through.
const chunk = 64 << 10

// Read reads a safetensors file of at most maxSize bytes in all, header
// included, from r. The errors for an invalid file wrap ErrFormat, those
// for a file over maxSize wrap ErrTooLarge, and I/O errors are wrapped as
// they are.
//
// When r is a *bytes.Reader, *bytes.Buffer, *strings.Reader or a regular
// *os.File, Read knows how many bytes remain and checks the header against
// them before it reads any data. From any other reader it reads the data
// in chunks and allocates only as the bytes arrive, so a short stream that
// claims a large data section costs little. Either way it allocates at most
// about maxSize bytes, and reads the data in a single pass that allocates
// nothing per value.
func Read(r io.Reader, maxSize int64) (*File, error) {
	f, err := read(r, maxSize, remaining(r))
	if err != nil {
		return nil, fmt.Errorf("safetensors: %w", err)
	}
	return f, nil
}

// ReadFile reads the safetensors file at path, checking its size against
// maxSize before it reads anything. Its errors are those of Read, and
// those of os.Open.
func ReadFile(path string, maxSize int64) (*File, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("safetensors: %w", err)
	}
	defer fh.Close()
	st, err := fh.Stat()
	if err != nil {
		return nil, fmt.Errorf("safetensors: %w", err)
	}
	avail := int64(-1) // a device or pipe has no meaningful size
	if st.Mode().IsRegular() {
		avail = st.Size()
	}
	f, err := read(fh, maxSize, avail)
	if err != nil {
		return nil, fmt.Errorf("safetensors: %s: %w", path, err)
	}
	return f, nil
}

// remaining returns how many bytes r holds before its end, or -1 if that
// cannot be known without reading.
func remaining(r io.Reader) int64 {
	switch r := r.(type) {
	case *bytes.Reader:
		return int64(r.Len())
	case *bytes.Buffer:
		return int64(r.Len())
	case *strings.Reader:
		return int64(r.Len())
	case *os.File:
		st, err := r.Stat()
		if err != nil || !st.Mode().IsRegular() {
			return -1
		}
		pos, err := r.Seek(0, io.SeekCurrent)
		if err != nil || pos > st.Size() {
			return -1
		}
		return st.Size() - pos
	}
	return -1
}

func formatError(format string, args ...any) error {
	return &fileError{kind: ErrFormat, msg: fmt.Sprintf(format, args...)}
}

func tooLarge(format string, args ...any) error {
	return &fileError{kind: ErrTooLarge, msg: fmt.Sprintf(format, args...)}
}

// truncated returns the error for a read that ended early: a format error
// for the end of the input, err itself for any other failure.
func truncated(err error, format string, args ...any) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return &fileError{kind: ErrFormat, msg: fmt.Sprintf(format, args...), err: io.ErrUnexpectedEOF}
	}
	return fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), err)
}

// read is Read for a reader holding avail bytes, or an unknown number if
// avail < 0.
func read(r io.Reader, maxSize, avail int64) (*File, error) {
	// Check the size first: an oversized file is refused unread.
	if avail >= 0 && avail > maxSize {
		return nil, tooLarge("file is %d bytes, over the limit of %d", avail, maxSize)
	}
	if avail >= 0 && avail < 8 {
		return nil, formatError("file is %d bytes, too short for the 8-byte header length", avail)
	}
	var prefix [8]byte
	if _, err := io.ReadFull(r, prefix[:]); err != nil {
		return nil, truncated(err, "file too short for the 8-byte header length")
	}
	n := binary.LittleEndian.Uint64(prefix[:])
	switch {
	case maxSize < 8:
		return nil, tooLarge("file of at least 8 bytes, over the limit of %d", maxSize)
	case n > maxHeader:
		return nil, formatError("header length %d over the limit of %d bytes", n, maxHeader)
	case int64(n) > maxSize-8:
		return nil, tooLarge("header of %d bytes makes the file larger than the limit of %d", n, maxSize)
	case avail >= 0 && int64(n) > avail-8:
		return nil, formatError("header length %d beyond the end of the %d-byte file", n, avail)
	}

	// n is at most maxHeader, but read it as it arrives unless the reader
	// is known to hold it: a 9-byte stream claiming 1 MiB costs 512 bytes.
	var header []byte
	if avail >= 0 {
		header = make([]byte, n)
		if _, err := io.ReadFull(r, header); err != nil {
			return nil, truncated(err, "reading the %d-byte header", n)
		}
	} else {
		var err error
		header, err = io.ReadAll(io.LimitReader(r, int64(n)))
		if err != nil {
			return nil, fmt.Errorf("reading the %d-byte header: %w", n, err)
		}
		if uint64(len(header)) < n {
			return nil, formatError("header length %d beyond the end of the file (%d bytes follow it)", n, len(header))
		}
	}

	// The data section may hold at most this much.
	lim := limit{maxSize - 8 - int64(n), false}
	if avail >= 0 {
		lim = limit{avail - 8 - int64(n), true}
	}
	f, entries, size, err := parseHeader(header, lim)
	if err != nil {
		return nil, err
	}
	if avail >= 0 && size != lim.n {
		return nil, formatError("trailing data: the tensors end at byte %d of the %d-byte data section", size, lim.n)
	}
	data, err := readData(r, size, avail)
	if err != nil {
		return nil, err
	}
	// Every tensor's values go into one backing array, allocated once the
	// bytes that fill it have arrived.
	total := 0
	for _, e := range entries {
		total += e.count
	}
	values := make([]float32, total)
	at := 0
	for i, e := range entries {
		t := &f.Tensors[i]
		t.Data = values[at : at+e.count : at+e.count] // full slice: appending copies
		at += e.count
		if j := decode(t.Data, t.DType, data[e.begin:e.end]); j >= 0 {
			return nil, formatError("tensor %q has non-finite value at %d", t.Name, j)
		}
	}
	return f, nil
}

// readData reads the size-byte data section from r, which holds avail
// bytes after it if avail >= 0, and checks that nothing follows it.
func readData(r io.Reader, size, avail int64) ([]byte, error) {
	if size > math.MaxInt {
		return nil, tooLarge("%d-byte data section too large for this platform", size)
	}
	if avail >= 0 {
		data := make([]byte, size)
		if k, err := io.ReadFull(r, data); err != nil {
			return nil, truncated(err, "data section truncated: the header describes %d bytes, the file has %d", size, k)
		}
		return data, nil
	}
	// The size is only a claim: read what arrives, which grows the buffer
	// as the bytes come rather than trusting the header.
	data, err := io.ReadAll(io.LimitReader(r, size))
	if err != nil {
		return nil, fmt.Errorf("reading the data section: %w", err)
	}
	if int64(len(data)) < size {
		return nil, truncated(io.ErrUnexpectedEOF, "data section truncated: the header describes %d bytes, the file has %d", size, len(data))
	}
	var one [1]byte
	switch k, err := io.ReadFull(r, one[:]); {
	case k > 0:
		return nil, formatError("trailing data after the tensors' %d bytes", size)
	case err != io.EOF:
		return nil, fmt.Errorf("reading past the data section: %w", err)
	}
	return data, nil
}

// decode sets dst to the values of dtype d in b, which holds exactly
// len(dst) of them. It returns the index of the first NaN or infinity, or
// -1 if all are finite.
func decode(dst []float32, d DType, b []byte) int {
	if d == I8 {
		for i, c := range b[:len(dst)] {
			dst[i] = float32(int8(c))
		}
		return -1
	}
	b = b[:4*len(dst)]
	for i := range dst {
		u := binary.LittleEndian.Uint32(b[4*i:])
		if u&0x7f800000 == 0x7f800000 { // all exponent bits set: Inf or NaN
			return i
		}
		dst[i] = math.Float32frombits(u)
	}
	return -1
}

// entry is a tensor's place in the data section, in bytes, and its number
// of values.
type entry struct {
	begin, end int64
	count      int
}

// limit is the most bytes the data section can hold.
type limit struct {
	n     int64
	exact bool // n is what the file holds, not what the size limit allows
}

// parseHeader decodes and checks the JSON header of a file whose data
// section holds at most lim bytes. It returns the file without tensor
// data, sorted by offset, the tensors' places in the same order, and the
// size of the data section.
func parseHeader(header []byte, lim limit) (*File, []entry, int64, error) {
	if !utf8.Valid(header) {
		return nil, nil, 0, formatError("header is not valid UTF-8")
	}
	p := parser{dec: json.NewDecoder(bytes.NewReader(header))}
	p.dec.UseNumber()
	if err := p.delim('{', "header"); err != nil {
		return nil, nil, 0, err
	}
	f := &File{}
	type item struct {
		t Tensor
		e entry
	}
	var items []item
	seen := map[string]bool{}
	for p.dec.More() {
		name, err := p.key("header")
		if err != nil {
			return nil, nil, 0, err
		}
		if seen[name] {
			return nil, nil, 0, formatError("duplicate key %q in header", name)
		}
		seen[name] = true
		if name == metadataKey {
			if f.Metadata, err = p.metadata(); err != nil {
				return nil, nil, 0, err
			}
			continue
		}
		if name == "" {
			return nil, nil, 0, formatError("tensor with an empty name")
		}
		t, e, err := p.tensor(name, lim)
		if err != nil {
			return nil, nil, 0, err
		}
		items = append(items, item{t, e})
	}
	if err := p.delim('}', "header"); err != nil {
		return nil, nil, 0, err
	}
	// Only padding (JSON white space) may follow the object.
	if _, err := p.dec.Token(); err != io.EOF {
		return nil, nil, 0, formatError("header: data after the JSON object")
	}
	if len(f.Metadata) == 0 {
		f.Metadata = nil
	}

	// The tensors must tile the data section exactly, without gaps or
	// overlaps, as the reference implementation requires. Sorting is
	// stable, so empty tensors at the same offset keep the header's order.
	slices.SortStableFunc(items, func(a, b item) int {
		return cmp.Or(cmp.Compare(a.e.begin, b.e.begin), cmp.Compare(a.e.end, b.e.end))
	})
	var pos int64
	entries := make([]entry, len(items))
	f.Tensors = make([]Tensor, len(items))
	for i, it := range items {
		if it.e.begin != pos {
			how := "overlaps the previous one"
			if it.e.begin > pos {
				how = "leaves a gap"
			}
			return nil, nil, 0, formatError("tensor %q starts at byte %d, want %d: it %s", it.t.Name, it.e.begin, pos, how)
		}
		pos = it.e.end
		entries[i], f.Tensors[i] = it.e, it.t
	}
	return f, entries, pos, nil
}

// parser reads a header token by token. Unlike json.Unmarshal it sees
// duplicate keys, and matches field names exactly.
type parser struct {
	dec *json.Decoder
}

// token returns the next token, with a format error naming what for if
// the JSON is invalid or ends early.
func (p *parser) token(what string) (json.Token, error) {
	tok, err := p.dec.Token()
	if err == io.EOF {
		return nil, formatError("%s: unexpected end of JSON", what)
	}
	if err != nil {
		return nil, formatError("%s: invalid JSON: %v", what, err)
	}
	return tok, nil
}

// delim reads the delimiter d.
func (p *parser) delim(d json.Delim, what string) error {
	tok, err := p.token(what)
	if err != nil {
		return err
	}
	if tok != d {
		return formatError("%s: got %s, want %q", what, describe(tok), d)
	}
	return nil
}

// key reads an object key. The decoder reports anything else as invalid.
func (p *parser) key(what string) (string, error) {
	tok, err := p.token(what)
	if err != nil {
		return "", err
	}
	s, ok := tok.(string)
	if !ok {
		return "", formatError("%s: got %s, want a key", what, describe(tok))
	}
	return s, nil
}

// str reads a string value.
func (p *parser) str(what string) (string, error) {
	tok, err := p.token(what)
	if err != nil {
		return "", err
	}
	s, ok := tok.(string)
	if !ok {
		return "", formatError("%s: got %s, want a string", what, describe(tok))
	}
	return s, nil
}

// metadata reads the "__metadata__" object.
func (p *parser) metadata() (map[string]string, error) {
	const what = metadataKey
	if err := p.delim('{', what); err != nil {
		return nil, err
	}
	m := map[string]string{}
	for p.dec.More() {
		k, err := p.key(what)
		if err != nil {
			return nil, err
		}
		if _, ok := m[k]; ok {
			return nil, formatError("%s: duplicate key %q", what, k)
		}
		if m[k], err = p.str(what + "." + k); err != nil {
			return nil, err
		}
	}
	return m, p.delim('}', what)
}

// ints reads an array of at most max non-negative integers.
func (p *parser) ints(what string, max int) ([]int64, error) {
	if err := p.delim('[', what); err != nil {
		return nil, err
	}
	v := []int64{}
	for p.dec.More() {
		if len(v) == max {
			return nil, formatError("%s: more than %d values", what, max)
		}
		tok, err := p.token(what)
		if err != nil {
			return nil, err
		}
		num, ok := tok.(json.Number)
		if !ok {
			return nil, formatError("%s: got %s, want an integer", what, describe(tok))
		}
		x, err := strconv.ParseInt(string(num), 10, 64)
		if err != nil || x < 0 {
			return nil, formatError("%s: %s is not a non-negative 64-bit integer", what, num)
		}
		v = append(v, x)
	}
	return v, p.delim(']', what)
}

// tensor reads the description of tensor name.
func (p *parser) tensor(name string, lim limit) (Tensor, entry, error) {
	what := fmt.Sprintf("tensor %q", name)
	if err := p.delim('{', what); err != nil {
		return Tensor{}, entry{}, err
	}
	var (
		dtype   string
		shape   []int64
		offsets []int64
		has     = map[string]bool{}
	)
	for p.dec.More() {
		field, err := p.key(what)
		if err != nil {
			return Tensor{}, entry{}, err
		}
		if has[field] {
			return Tensor{}, entry{}, formatError("%s: duplicate field %q", what, field)
		}
		has[field] = true
		switch field {
		case "dtype":
			dtype, err = p.str(what + " dtype")
		case "shape":
			shape, err = p.ints(what+" shape", maxDims)
		case "data_offsets":
			offsets, err = p.ints(what+" data_offsets", 2)
		default:
			err = formatError("%s: unknown field %q", what, field)
		}
		if err != nil {
			return Tensor{}, entry{}, err
		}
	}
	if err := p.delim('}', what); err != nil {
		return Tensor{}, entry{}, err
	}
	for _, field := range []string{"dtype", "shape", "data_offsets"} {
		if !has[field] {
			return Tensor{}, entry{}, formatError("%s: missing field %q", what, field)
		}
	}
	width := DType(dtype).size()
	if width == 0 || dtype == "" {
		return Tensor{}, entry{}, formatError("%s has dtype %q; only F32 and I8 are supported", what, dtype)
	}
	if len(offsets) != 2 {
		return Tensor{}, entry{}, formatError("%s: data_offsets %v, want [begin, end]", what, offsets)
	}
	e := entry{begin: offsets[0], end: offsets[1]}
	if e.begin > e.end {
		return Tensor{}, entry{}, formatError("%s: data_offsets [%d, %d] end before they begin", what, e.begin, e.end)
	}
	switch {
	case e.end > lim.n && lim.exact:
		return Tensor{}, entry{}, formatError("%s: data_offsets [%d, %d] beyond the end of the file, which has %d bytes of data", what, e.begin, e.end, lim.n)
	case e.end > lim.n:
		return Tensor{}, entry{}, tooLarge("%s: data_offsets [%d, %d] make the file larger than the limit", what, e.begin, e.end)
	}
	// Multiply out the shape, refusing overflow as the reference does
	// (even when a later dimension is 0).
	count := int64(1)
	dims := make([]int, len(shape))
	for i, d := range shape {
		if d > math.MaxInt || (d > 0 && count > math.MaxInt64/d) {
			return Tensor{}, entry{}, formatError("%s: shape %v overflows", what, shape)
		}
		count *= d
		dims[i] = int(d)
	}
	if size := e.end - e.begin; size%width != 0 || count != size/width {
		return Tensor{}, entry{}, formatError("%s: shape %v has %d values of %d bytes, data_offsets [%d, %d] give %d bytes", what, shape, count, width, e.begin, e.end, size)
	}
	if count > math.MaxInt {
		return Tensor{}, entry{}, tooLarge("%s: %d values, too many for this platform", what, count)
	}
	e.count = int(count)
	return Tensor{Name: name, DType: DType(dtype), Shape: dims}, e, nil
}

// describe names a JSON token for an error message.
func describe(tok json.Token) string {
	switch tok := tok.(type) {
	case json.Delim:
		return strconv.Quote(tok.String())
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "a boolean"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%T", tok)
}
