package datasets

import "errors"

// Sentinel errors. Every error returned by this package wraps one of them, or one of
// hopfieldlib's ([hopfieldlib.ErrParameter] for a bad argument such as MNIST(0)), and says what was
// expected and what came.
var (
	// ErrNotFound reports a data folder or file that does not exist where it was looked for.
	ErrNotFound = errors.New("datasets: not found")
	// ErrData reports a file that exists but cannot be used: truncated or corrupt gzip, wrong IDX
	// magic, wrong dimensions, a label count that does not match the images, a bad PNG.
	ErrData = errors.New("datasets: bad data")
)
