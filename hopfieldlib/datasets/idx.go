package datasets

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/hopfieldlib/hopfield/hopfieldlib"
)

// IDX magic numbers of the two MNIST files: 0x0000 0803 (unsigned bytes, 3 dimensions) for
// images and 0x0000 0801 (unsigned bytes, 1 dimension) for labels. See LeCun et al.,
// "THE MNIST DATABASE of handwritten digits", file formats.
const (
	MagicImages = 2051
	MagicLabels = 2049
)

// maxIDXBytes bounds the payload a header may announce (256 MiB), so a corrupt header cannot
// make a reader allocate without limit.
const maxIDXBytes = 1 << 28

// IDX is an array of unsigned bytes read from an IDX file: Dims are the dimensions from the
// header (outermost first) and Data the values in row-major order, len(Data) = ∏ Dims.
type IDX struct {
	Dims []int
	Data []byte
}

// Magic is the IDX magic number of x: 0x0800 (unsigned bytes) plus the number of dimensions.
func (x *IDX) Magic() int { return 0x0800 + len(x.Dims) }

// ReadIDX reads an IDX file of unsigned bytes (type code 0x08) from r, gzip-compressed or not
// (it looks at the first two bytes). The whole stream must be one IDX array: a short payload,
// trailing bytes, a gzip checksum mismatch, a type other than unsigned bytes, a zero dimension or
// more than 255 MiB of data are errors wrapping [ErrData].
func ReadIDX(r io.Reader) (*IDX, error) {
	br := bufio.NewReader(r)
	if head, err := br.Peek(2); err == nil && head[0] == 0x1f && head[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("%w: IDX gzip header: %v", ErrData, err)
		}
		zr.Multistream(false)
		x, err := readIDX(zr)
		if err != nil {
			return nil, err
		}
		// Reading to the end verifies the gzip checksum and length.
		if n, err := io.Copy(io.Discard, zr); err != nil {
			return nil, fmt.Errorf("%w: IDX gzip stream: %v", ErrData, err)
		} else if n > 0 {
			return nil, fmt.Errorf("%w: IDX has %d bytes after the %d announced by its header", ErrData, n, len(x.Data))
		}
		return x, nil
	}
	x, err := readIDX(br)
	if err != nil {
		return nil, err
	}
	if n, _ := io.Copy(io.Discard, br); n > 0 {
		return nil, fmt.Errorf("%w: IDX has %d bytes after the %d announced by its header", ErrData, n, len(x.Data))
	}
	return x, nil
}

func readIDX(r io.Reader) (*IDX, error) {
	var magic [4]byte
	if _, err := io.ReadFull(r, magic[:]); err != nil {
		return nil, fmt.Errorf("%w: IDX header: want 4 magic bytes: %v", ErrData, ioErr(err))
	}
	if magic[0] != 0 || magic[1] != 0 {
		return nil, fmt.Errorf("%w: IDX magic %#08x: want 0x0000TTNN (e.g. %#08x images, %#08x labels)",
			ErrData, binary.BigEndian.Uint32(magic[:]), MagicImages, MagicLabels)
	}
	if magic[2] != 0x08 {
		return nil, fmt.Errorf("%w: IDX type code %#02x: only unsigned bytes (0x08) are supported", ErrData, magic[2])
	}
	nd := int(magic[3])
	if nd == 0 {
		return nil, fmt.Errorf("%w: IDX header announces 0 dimensions", ErrData)
	}
	dimBytes := make([]byte, 4*nd)
	if _, err := io.ReadFull(r, dimBytes); err != nil {
		return nil, fmt.Errorf("%w: IDX header: want %d dimensions: %v", ErrData, nd, ioErr(err))
	}
	x := &IDX{Dims: make([]int, nd)}
	total := 1
	for i := range x.Dims {
		d := int(binary.BigEndian.Uint32(dimBytes[4*i:]))
		if d == 0 {
			return nil, fmt.Errorf("%w: IDX dimension %d is 0", ErrData, i)
		}
		if d > maxIDXBytes || total*d > maxIDXBytes {
			return nil, fmt.Errorf("%w: IDX dimensions %v announce more than %d bytes", ErrData, x.Dims[:i+1], maxIDXBytes)
		}
		x.Dims[i] = d
		total *= d
	}
	// Up to 16 MiB is allocated at once; beyond, ReadAll grows as data arrives, so a header that
	// lies about its size costs no more memory than the bytes actually present.
	var data []byte
	var err error
	if total <= 1<<24 {
		data = make([]byte, total)
		var n int
		n, err = io.ReadFull(r, data)
		data = data[:n]
		if err == io.ErrUnexpectedEOF || err == io.EOF {
			err = nil // reported below as truncation
		}
	} else {
		data, err = io.ReadAll(io.LimitReader(r, int64(total)))
	}
	if err != nil {
		return nil, fmt.Errorf("%w: IDX payload: %v", ErrData, ioErr(err))
	}
	if len(data) != total {
		return nil, fmt.Errorf("%w: IDX truncated: header %v announces %d bytes, got %d", ErrData, x.Dims, total, len(data))
	}
	x.Data = data
	return x, nil
}

// ioErr names an unexpected end of stream plainly.
func ioErr(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return errors.New("unexpected end of data")
	}
	return err
}

// WriteIDX writes data as an uncompressed IDX array of unsigned bytes with the given dimensions
// (outermost first); wrap w in a gzip.Writer for .gz files. len(data) must be ∏ dims, with 1 to
// 255 dimensions, each in [1, 2³²).
func WriteIDX(w io.Writer, dims []int, data []byte) error {
	if len(dims) == 0 || len(dims) > 255 {
		return fmt.Errorf("%w: WriteIDX needs 1 to 255 dimensions, got %d", hopfieldlib.ErrShape, len(dims))
	}
	total := 1
	for i, d := range dims {
		if d <= 0 || d > 1<<32-1 || total*d > maxIDXBytes {
			return fmt.Errorf("%w: WriteIDX dimension %d is %d (dims %v)", hopfieldlib.ErrShape, i, d, dims)
		}
		total *= d
	}
	if len(data) != total {
		return fmt.Errorf("%w: WriteIDX dims %v need %d bytes, got %d", hopfieldlib.ErrShape, dims, total, len(data))
	}
	var head bytes.Buffer
	head.Write([]byte{0, 0, 0x08, byte(len(dims))})
	for _, d := range dims {
		head.Write(binary.BigEndian.AppendUint32(nil, uint32(d)))
	}
	if _, err := w.Write(head.Bytes()); err != nil {
		return err
	}
	_, err := w.Write(data)
	return err
}
