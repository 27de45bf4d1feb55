// Package qdrant stores chunk embeddings in Qdrant through its official
// gRPC client, for merchants who outgrow one machine.
//
// All tenants share one collection per embedding model; every point
// carries its tenant in an indexed payload field, and every query, count
// and delete is filtered by it.
package qdrant

import (
	"context"
	"crypto/sha1" //nolint:gosec // RFC 9562 name-based UUIDs (version 5) are defined on SHA-1
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strconv"

	"github.com/qdrant/go-client/qdrant"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/shopdesk/shopdesk/index"
	"github.com/shopdesk/shopdesk/tenant"
)

// Payload fields of every point.
const (
	fieldTenant = "tenant"
	fieldDocID  = "doc_id"
	fieldKey    = "key"
)

// ErrDimensions reports a collection or vector of the wrong size.
var ErrDimensions = errors.New("vector dimensions do not match the collection")

// Options configure a Store.
type Options struct {
	// URL is Qdrant's gRPC address: http://host:6334, https:// for TLS.
	URL    string
	APIKey string
	// TLS, if set, configures TLS (https URLs use the system roots).
	TLS *tls.Config
	// Collection is the collection's name; Dims its vector size.
	Collection string
	Dims       int
	// Quantization is QuantizationNone (default) or QuantizationInt8: the
	// collection keeps int8 scalar codes of its vectors in RAM, searches
	// them, and rescores the best candidates against the original vectors.
	// An existing collection is brought to the configured setting.
	Quantization string
}

// Quantization settings.
const (
	QuantizationNone = "none"
	QuantizationInt8 = "int8"
)

// oversampling is how many more candidates than asked for an int8 search
// rescores against the original vectors.
const oversampling = 4.0

// Store is a Qdrant collection of chunk vectors. It is safe for concurrent
// use.
type Store struct {
	c    *qdrant.Client
	coll string
	dims uint64
	int8 bool
}

// Open connects, checks that Qdrant answers, and makes sure the
// collection exists with the right size, cosine distance and tenant index.
func Open(ctx context.Context, opts Options) (*Store, error) {
	cfg, err := configFromURL(opts.URL, opts.APIKey)
	if err != nil {
		return nil, err
	}
	switch opts.Quantization {
	case "", QuantizationNone, QuantizationInt8:
	default:
		return nil, fmt.Errorf("qdrant quantization %q: want none or int8", opts.Quantization)
	}
	if opts.TLS != nil {
		cfg.UseTLS, cfg.TLSConfig = true, opts.TLS
	}
	cfg.SkipCompatibilityCheck = true // checked below, as an error rather than a log line
	c, err := qdrant.NewClient(cfg)
	if err != nil {
		return nil, fmt.Errorf("qdrant %s: %w", opts.URL, err)
	}
	if _, err := c.HealthCheck(ctx); err != nil {
		c.Close()
		return nil, fmt.Errorf("qdrant %s does not answer: %w", opts.URL, err)
	}
	s := &Store{c: c, coll: opts.Collection, dims: uint64(opts.Dims), int8: opts.Quantization == QuantizationInt8}
	if err := s.ensureCollection(ctx); err != nil {
		c.Close()
		return nil, err
	}
	return s, nil
}

// configFromURL reads http://host:port (6334 by default; https for TLS).
func configFromURL(raw, apiKey string) (*qdrant.Config, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Hostname() == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, fmt.Errorf("qdrant URL %q: want http://host:6334 or https://host:6334", raw)
	}
	port := 6334
	if p := u.Port(); p != "" {
		if port, err = strconv.Atoi(p); err != nil {
			return nil, fmt.Errorf("qdrant URL %q: bad port", raw)
		}
	}
	return &qdrant.Config{Host: u.Hostname(), Port: port, APIKey: apiKey, UseTLS: u.Scheme == "https"}, nil
}

// Close closes the connection.
func (s *Store) Close() error { return s.c.Close() }

func (s *Store) ensureCollection(ctx context.Context) error {
	exists, err := s.c.CollectionExists(ctx, s.coll)
	if err != nil {
		return fmt.Errorf("qdrant collection %s: %w", s.coll, err)
	}
	if exists {
		info, err := s.c.GetCollectionInfo(ctx, s.coll)
		if err != nil {
			return fmt.Errorf("qdrant collection %s: %w", s.coll, err)
		}
		p := info.GetConfig().GetParams().GetVectorsConfig().GetParams()
		if p.GetSize() != s.dims || p.GetDistance() != qdrant.Distance_Cosine {
			return fmt.Errorf("%w: qdrant collection %s has size %d and %s distance, shopdesk needs %d and Cosine",
				ErrDimensions, s.coll, p.GetSize(), p.GetDistance(), s.dims)
		}
		return s.ensureQuantization(ctx, info.GetConfig().GetQuantizationConfig())
	}
	create := &qdrant.CreateCollection{
		CollectionName: s.coll,
		VectorsConfig:  qdrant.NewVectorsConfig(&qdrant.VectorParams{Size: s.dims, Distance: qdrant.Distance_Cosine}),
	}
	if s.int8 {
		create.QuantizationConfig = qdrant.NewQuantizationScalar(scalarInt8())
	}
	err = s.c.CreateCollection(ctx, create)
	if err != nil && status.Code(err) != codes.AlreadyExists { // another process may have won the race
		return fmt.Errorf("qdrant create collection %s: %w", s.coll, err)
	}
	for _, f := range []struct {
		name     string
		isTenant bool
	}{{fieldTenant, true}, {fieldDocID, false}} {
		_, err := s.c.CreateFieldIndex(ctx, &qdrant.CreateFieldIndexCollection{
			CollectionName:   s.coll,
			Wait:             qdrant.PtrOf(true),
			FieldName:        f.name,
			FieldType:        qdrant.FieldType_FieldTypeKeyword.Enum(),
			FieldIndexParams: qdrant.NewPayloadIndexParamsKeyword(&qdrant.KeywordIndexParams{IsTenant: qdrant.PtrOf(f.isTenant)}),
		})
		if err != nil {
			return fmt.Errorf("qdrant index %s.%s: %w", s.coll, f.name, err)
		}
	}
	return nil
}

func scalarInt8() *qdrant.ScalarQuantization {
	return &qdrant.ScalarQuantization{Type: qdrant.QuantizationType_Int8, AlwaysRam: qdrant.PtrOf(true)}
}

// ensureQuantization changes an existing collection's quantization to
// the configured one; Qdrant builds or drops the codes in the background.
func (s *Store) ensureQuantization(ctx context.Context, have *qdrant.QuantizationConfig) error {
	if isInt8 := have.GetScalar().GetType() == qdrant.QuantizationType_Int8; isInt8 == s.int8 {
		return nil // with none, a quantization an operator set by hand stays
	}
	diff := qdrant.NewQuantizationDiffDisabled()
	if s.int8 {
		diff = qdrant.NewQuantizationDiffScalar(scalarInt8())
	}
	if err := s.c.UpdateCollection(ctx, &qdrant.UpdateCollection{CollectionName: s.coll, QuantizationConfig: diff}); err != nil {
		return fmt.Errorf("qdrant collection %s quantization: %w", s.coll, err)
	}
	return nil
}

// Drop deletes the collection, if it exists.
func (s *Store) Drop(ctx context.Context) error {
	ok, err := s.c.CollectionExists(ctx, s.coll)
	if err != nil || !ok {
		return err
	}
	return s.c.DeleteCollection(ctx, s.coll)
}

// Clear removes every point: the collection is made anew.
func (s *Store) Clear(ctx context.Context) error {
	if err := s.Drop(ctx); err != nil {
		return fmt.Errorf("qdrant: %w", err)
	}
	return s.ensureCollection(ctx)
}

// Upsert stores points and waits until Qdrant has applied them.
func (s *Store) Upsert(ctx context.Context, t string, points []index.VectorPoint) error {
	if err := tenant.Validate(t); err != nil {
		return err
	}
	if len(points) == 0 {
		return nil
	}
	pts := make([]*qdrant.PointStruct, 0, len(points))
	for _, p := range points {
		if uint64(len(p.Vector)) != s.dims {
			return fmt.Errorf("%w: %s has %d, the collection %d", ErrDimensions, p.Key, len(p.Vector), s.dims)
		}
		pts = append(pts, &qdrant.PointStruct{
			Id:      qdrant.NewID(pointID(t, p.Key)),
			Vectors: qdrant.NewVectorsDense(p.Vector),
			Payload: qdrant.NewValueMap(map[string]any{fieldTenant: t, fieldDocID: p.DocID, fieldKey: p.Key}),
		})
	}
	_, err := s.c.Upsert(ctx, &qdrant.UpsertPoints{CollectionName: s.coll, Wait: qdrant.PtrOf(true), Points: pts})
	if err != nil {
		return fmt.Errorf("qdrant upsert %s: %w", s.coll, err)
	}
	return nil
}

// Delete removes the tenant's points with the given keys.
func (s *Store) Delete(ctx context.Context, t string, keys []string) error {
	if err := tenant.Validate(t); err != nil {
		return err
	}
	if len(keys) == 0 {
		return nil
	}
	ids := make([]*qdrant.PointId, len(keys))
	for i, k := range keys {
		ids[i] = qdrant.NewID(pointID(t, k))
	}
	_, err := s.c.Delete(ctx, &qdrant.DeletePoints{CollectionName: s.coll, Wait: qdrant.PtrOf(true), Points: qdrant.NewPointsSelector(ids...)})
	if err != nil {
		return fmt.Errorf("qdrant delete %s: %w", s.coll, err)
	}
	return nil
}

// Search returns the tenant's k points nearest to q by cosine.
func (s *Store) Search(ctx context.Context, t string, q []float32, k int) ([]index.Ranked, error) {
	if err := tenant.Validate(t); err != nil {
		return nil, err
	}
	if uint64(len(q)) != s.dims {
		return nil, fmt.Errorf("%w: the query has %d, the collection %d", ErrDimensions, len(q), s.dims)
	}
	req := &qdrant.QueryPoints{
		CollectionName: s.coll,
		Query:          qdrant.NewQueryDense(q),
		Filter:         tenantFilter(t),
		Limit:          qdrant.PtrOf(uint64(k)),
		WithPayload:    qdrant.NewWithPayloadInclude(fieldKey),
	}
	if s.int8 {
		req.Params = &qdrant.SearchParams{Quantization: &qdrant.QuantizationSearchParams{
			Rescore: qdrant.PtrOf(true), Oversampling: qdrant.PtrOf(oversampling)}}
	}
	res, err := s.c.Query(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("qdrant query %s: %w", s.coll, err)
	}
	out := make([]index.Ranked, 0, len(res))
	for _, p := range res {
		out = append(out, index.Ranked{Key: p.GetPayload()[fieldKey].GetStringValue(), Score: float64(p.GetScore())})
	}
	return out, nil
}

// Vectors returns the tenant's stored vectors (as Qdrant keeps them: of
// unit length) for those of keys it holds. Unknown keys are left out.
func (s *Store) Vectors(ctx context.Context, t string, keys []string) (map[string][]float32, error) {
	if err := tenant.Validate(t); err != nil {
		return nil, err
	}
	out := map[string][]float32{}
	if len(keys) == 0 {
		return out, nil
	}
	ids := make([]*qdrant.PointId, len(keys))
	for i, k := range keys {
		ids[i] = qdrant.NewID(pointID(t, k))
	}
	pts, err := s.c.Get(ctx, &qdrant.GetPoints{CollectionName: s.coll, Ids: ids,
		WithPayload: qdrant.NewWithPayloadInclude(fieldTenant, fieldKey), WithVectors: qdrant.NewWithVectors(true)})
	if err != nil {
		return nil, fmt.Errorf("qdrant get %s: %w", s.coll, err)
	}
	for _, p := range pts {
		pl := p.GetPayload()
		if pl[fieldTenant].GetStringValue() != t { // IDs are per tenant; this is a second lock
			continue
		}
		if v := denseOf(p.GetVectors().GetVector()); uint64(len(v)) == s.dims {
			out[pl[fieldKey].GetStringValue()] = v
		}
	}
	return out, nil
}

// denseOf reads a dense vector in the current form or the deprecated one
// older servers send.
func denseOf(v *qdrant.VectorOutput) []float32 {
	if d := v.GetDense(); d != nil {
		return d.GetData()
	}
	return v.GetData() //nolint:staticcheck // deprecated, still sent by older servers
}

// Count returns the number of the tenant's points.
func (s *Store) Count(ctx context.Context, t string) (uint64, error) {
	return s.c.Count(ctx, &qdrant.CountPoints{CollectionName: s.coll, Filter: tenantFilter(t), Exact: qdrant.PtrOf(true)})
}

func tenantFilter(t string) *qdrant.Filter {
	return &qdrant.Filter{Must: []*qdrant.Condition{qdrant.NewMatchKeyword(fieldTenant, t)}}
}

// namespace makes point IDs shopdesk's own; changing it changes every ID.
var namespace = [16]byte{0x6f, 0x1c, 0x2a, 0x8e, 0x4b, 0x53, 0x4d, 0x2f, 0x9a, 0x61, 0x3e, 0x0b, 0x7c, 0xd4, 0x15, 0x92}

// pointID is a name-based UUID (version 5) of the tenant and chunk key, so
// writing a chunk again overwrites its point. Fields are length-prefixed
// so no two different inputs share a name.
func pointID(t, key string) string {
	h := sha1.New() //nolint:gosec
	h.Write(namespace[:])
	fmt.Fprintf(h, "%d:%s%d:%s", len(t), t, len(key), key)
	s := h.Sum(nil)[:16]
	s[6] = (s[6] & 0x0f) | 0x50
	s[8] = (s[8] & 0x3f) | 0x80
	x := hex.EncodeToString(s)
	return x[0:8] + "-" + x[8:12] + "-" + x[12:16] + "-" + x[16:20] + "-" + x[20:]
}
