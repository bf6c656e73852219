package datasets

import (
	"bytes"
	"compress/gzip"
	"errors"
	"testing"

	"github.com/hopfieldlib/hopfield/hopfieldlib"
)

// idxBytes writes an IDX array, optionally gzipped.
func idxBytes(t testing.TB, dims []int, data []byte, gz bool) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteIDX(&buf, dims, data); err != nil {
		t.Fatal(err)
	}
	if !gz {
		return buf.Bytes()
	}
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	zw.Write(buf.Bytes())
	zw.Close()
	return z.Bytes()
}

func TestReadIDXRoundTrip(t *testing.T) {
	tests := []struct {
		dims  []int
		magic int // from the IDX format: 0x0800 + number of dimensions
	}{
		{[]int{5}, MagicLabels},
		{[]int{2, 3, 4}, MagicImages},
		{[]int{1, 1}, 0x0802},
	}
	for _, tc := range tests {
		n := 1
		for _, d := range tc.dims {
			n *= d
		}
		data := make([]byte, n)
		for i := range data {
			data[i] = byte(7*i + 3)
		}
		for _, gz := range []bool{false, true} {
			x, err := ReadIDX(bytes.NewReader(idxBytes(t, tc.dims, data, gz)))
			if err != nil {
				t.Fatalf("dims %v gz=%v: %v", tc.dims, gz, err)
			}
			if x.Magic() != tc.magic || len(x.Dims) != len(tc.dims) || !bytes.Equal(x.Data, data) {
				t.Errorf("dims %v gz=%v: got magic %d dims %v, %d bytes", tc.dims, gz, x.Magic(), x.Dims, len(x.Data))
			}
		}
	}
}

func TestReadIDXHeader(t *testing.T) {
	// Bytes of a 2×2 image file written by hand from the IDX description: magic 0x00000803 would
	// be 3 dims; here 0x00000802, dims 2 and 2, four pixels.
	raw := []byte{0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 2, 1, 2, 3, 4}
	x, err := ReadIDX(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	if x.Dims[0] != 2 || x.Dims[1] != 2 || !bytes.Equal(x.Data, []byte{1, 2, 3, 4}) {
		t.Errorf("got %+v", x)
	}
	var buf bytes.Buffer
	if err := WriteIDX(&buf, []int{2, 2}, []byte{1, 2, 3, 4}); err != nil || !bytes.Equal(buf.Bytes(), raw) {
		t.Errorf("WriteIDX: %v, % x, want % x", err, buf.Bytes(), raw)
	}
}

func TestReadIDXErrors(t *testing.T) {
	good := idxBytes(t, []int{3, 2, 2}, make([]byte, 12), false)
	gz := idxBytes(t, []int{3, 2, 2}, make([]byte, 12), true)
	badCRC := append([]byte(nil), gz...)
	badCRC[len(badCRC)-8] ^= 0xff // the CRC-32 is the 8th to 5th last bytes of a gzip stream
	// a gzip stream whose content has one byte more than its header announces
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	zw.Write(append(append([]byte(nil), good...), 9))
	zw.Close()
	tests := []struct {
		name string
		raw  []byte
	}{
		{"empty", nil},
		{"short magic", good[:3]},
		{"wrong magic", append([]byte{1, 0, 8, 3}, good[4:]...)},
		{"float type", append([]byte{0, 0, 0x0d, 3}, good[4:]...)},
		{"no dims", []byte{0, 0, 8, 0}},
		{"short dims", good[:9]},
		{"zero dim", []byte{0, 0, 8, 1, 0, 0, 0, 0}},
		{"huge dims", []byte{0, 0, 8, 2, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}},
		{"truncated payload", good[:len(good)-1]},
		{"trailing byte", append(append([]byte(nil), good...), 0)},
		{"truncated gzip", gz[:len(gz)-10]},
		{"gzip header only", gz[:5]},
		{"gzip bad checksum", badCRC},
		{"trailing in gzip", z.Bytes()},
	}
	for _, tc := range tests {
		if _, err := ReadIDX(bytes.NewReader(tc.raw)); !errors.Is(err, ErrData) {
			t.Errorf("%s: err = %v, want ErrData", tc.name, err)
		}
	}
}

func TestWriteIDXErrors(t *testing.T) {
	tests := []struct {
		name string
		dims []int
		data []byte
	}{
		{"no dims", nil, nil},
		{"zero dim", []int{0}, nil},
		{"negative dim", []int{-1}, nil},
		{"length mismatch", []int{2, 2}, []byte{1, 2, 3}},
	}
	for _, tc := range tests {
		if err := WriteIDX(&bytes.Buffer{}, tc.dims, tc.data); !errors.Is(err, hopfieldlib.ErrShape) {
			t.Errorf("%s: err = %v, want ErrShape", tc.name, err)
		}
	}
}

// FuzzReadIDX checks that any input gives either a consistent array or an ErrData error, never
// a panic: `go test -fuzz FuzzReadIDX -fuzztime 30s ./hopfieldlib/datasets`.
func FuzzReadIDX(f *testing.F) {
	f.Add(idxBytes(f, []int{2, 2, 2}, []byte{0, 1, 2, 3, 4, 5, 6, 7}, false))
	f.Add(idxBytes(f, []int{3}, []byte{1, 2, 3}, true))
	f.Add([]byte{0, 0, 8, 1, 0, 0, 0, 1, 42})
	f.Add([]byte{0x1f, 0x8b, 8, 0})
	f.Fuzz(func(t *testing.T, raw []byte) {
		x, err := ReadIDX(bytes.NewReader(raw))
		if err != nil {
			if !errors.Is(err, ErrData) {
				t.Fatalf("error %v does not wrap ErrData", err)
			}
			return
		}
		n := 1
		for _, d := range x.Dims {
			n *= d
		}
		if n != len(x.Data) || len(x.Dims) == 0 {
			t.Fatalf("dims %v but %d bytes", x.Dims, len(x.Data))
		}
	})
}
