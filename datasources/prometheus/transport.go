package prometheus

import (
	"bytes"
	"context"
	"net/http"
	"sync"

	"github.com/prometheus/client_golang/api"
)

// callKey is the context key of the *call that doer fills in: the HTTP
// status of the answer (the v1 API does not return it) and the buffer the
// body was read into, recycled once the API has decoded it.
type callKey struct{}

type call struct {
	status int
	buf    *bytes.Buffer
}

// done recycles the call's buffer; the body must no longer be used.
func (c *call) done() {
	if c.buf != nil && c.buf.Cap() <= maxPooled {
		bufPool.Put(c.buf)
	}
	c.buf = nil
}

const maxPooled = 8 << 20

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// doer is the api.Client under the v1 API: api's own URL building, and a
// Do that reads the body on the calling goroutine (the request's context
// still ends the read) into a recycled buffer and notes the status.
type doer struct {
	api.Client
	http *http.Client
}

func (d doer) Do(ctx context.Context, req *http.Request) (*http.Response, []byte, error) {
	resp, err := d.http.Do(req.WithContext(ctx))
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	c, _ := ctx.Value(callKey{}).(*call)
	var buf *bytes.Buffer
	if c != nil {
		c.status = resp.StatusCode
		buf = bufPool.Get().(*bytes.Buffer)
		buf.Reset()
		c.done() // a retried request's first body is decoded already
		c.buf = buf
	} else {
		buf = new(bytes.Buffer)
	}
	if resp.ContentLength > 0 && resp.ContentLength < maxPooled {
		buf.Grow(int(resp.ContentLength) + bytes.MinRead)
	}
	_, err = buf.ReadFrom(resp.Body)
	return resp, buf.Bytes(), err
}
