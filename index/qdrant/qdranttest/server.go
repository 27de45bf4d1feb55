// Package qdranttest is an in-process, in-memory Qdrant gRPC server built on the
// generated service interfaces of github.com/qdrant/go-client/qdrant. It really
// stores points and scores them (Cosine / Dot / Euclid / Manhattan) and supports
// the filter subset a RAG backend needs (must / must_not / should with keyword,
// keywords, integer and bool matches, has_id, nested filter conditions).
package qdranttest

import (
	"context"
	"fmt"
	"math"
	"net"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/qdrant/go-client/qdrant"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/keepalive"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

// Version reported by HealthCheck (the go-client compares major/minor with its own).
const Version = "1.17.1"

type point struct {
	id      *qdrant.PointId
	vec     []float32 // normalised for Cosine, like real Qdrant
	payload map[string]*qdrant.Value
}

type collection struct {
	dim     uint64
	dist    qdrant.Distance
	points  map[string]*point // key: "n:<num>" or "u:<uuid>"
	indexes map[string]qdrant.FieldType
	quant   *qdrant.QuantizationConfig // recorded and reported; search stays exact
}

// Server holds the state shared by the three gRPC services.
type Server struct {
	APIKey string // if non-empty every RPC except HealthCheck must carry metadata "api-key"

	mu    sync.RWMutex
	colls map[string]*collection
	calls []string // full method names, in order (for assertions)
	uas   []string // user-agents seen
	last  *qdrant.SearchParams
}

// LastSearchParams returns the search params of the most recent Query.
func (s *Server) LastSearchParams() *qdrant.SearchParams {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.last
}

func New(apiKey string) *Server {
	return &Server{APIKey: apiKey, colls: map[string]*collection{}}
}

// Calls returns the gRPC full method names received so far.
func (s *Server) Calls() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return append([]string(nil), s.calls...)
}

// UserAgents returns distinct user-agent values seen.
func (s *Server) UserAgents() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return append([]string(nil), s.uas...)
}

func (s *Server) authInterceptor(ctx context.Context, req any, info *grpc.UnaryServerInfo, h grpc.UnaryHandler) (any, error) {
	md, _ := metadata.FromIncomingContext(ctx)
	s.mu.Lock()
	s.calls = append(s.calls, info.FullMethod)
	if ua := md.Get("user-agent"); len(ua) > 0 && !contains(s.uas, ua[0]) {
		s.uas = append(s.uas, ua[0])
	}
	s.mu.Unlock()
	if s.APIKey != "" && info.FullMethod != qdrant.Qdrant_HealthCheck_FullMethodName {
		keys := md.Get("api-key")
		if len(keys) == 0 {
			return nil, status.Error(codes.Unauthenticated, "Must provide an API key or an Authorization bearer token")
		}
		if keys[0] != s.APIKey {
			return nil, status.Error(codes.PermissionDenied, "Invalid API key or JWT")
		}
	}
	return h(ctx, req)
}

// Register wires the three services into a grpc.Server.
func (s *Server) Register(g *grpc.Server) {
	qdrant.RegisterQdrantServer(g, &healthSvc{})
	qdrant.RegisterCollectionsServer(g, &collectionsSvc{s: s})
	qdrant.RegisterPointsServer(g, &pointsSvc{s: s})
}

// NewGRPCServer builds a grpc.Server with the auth interceptor and a keepalive
// policy tolerant of the go-client's default 10s PermitWithoutStream pings
// (grpc-go's default MinTime of 5 min would GOAWAY with "too_many_pings").
func (s *Server) NewGRPCServer() *grpc.Server {
	g := grpc.NewServer(
		grpc.UnaryInterceptor(s.authInterceptor),
		grpc.KeepaliveEnforcementPolicy(keepalive.EnforcementPolicy{MinTime: time.Second, PermitWithoutStream: true}),
	)
	s.Register(g)
	return g
}

// ServeTCP listens on 127.0.0.1:0 and returns host, port and a stop func.
func (s *Server) ServeTCP() (host string, port int, stop func(), err error) {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", 0, nil, err
	}
	g := s.NewGRPCServer()
	go g.Serve(lis)
	a := lis.Addr().(*net.TCPAddr)
	return a.IP.String(), a.Port, g.Stop, nil
}

// ---------------------------------------------------------------- Qdrant service

type healthSvc struct {
	qdrant.UnimplementedQdrantServer
}

func (healthSvc) HealthCheck(context.Context, *qdrant.HealthCheckRequest) (*qdrant.HealthCheckReply, error) {
	return &qdrant.HealthCheckReply{Title: "fake qdrant", Version: Version}, nil
}

// ----------------------------------------------------------- Collections service

type collectionsSvc struct {
	qdrant.UnimplementedCollectionsServer
	s *Server
}

func notFound(name string) error {
	return status.Errorf(codes.NotFound, "Not found: Collection `%s` doesn't exist!", name)
}

func (c *collectionsSvc) Create(_ context.Context, r *qdrant.CreateCollection) (*qdrant.CollectionOperationResponse, error) {
	p := r.GetVectorsConfig().GetParams()
	if p == nil {
		return nil, status.Error(codes.InvalidArgument, "Wrong input: fake supports only a single unnamed dense vector config")
	}
	if p.GetSize() == 0 {
		return nil, status.Error(codes.InvalidArgument, "Validation error in body: [vectors_config.size: value 0 invalid, must be 1 or larger]")
	}
	if p.GetDistance() == qdrant.Distance_UnknownDistance {
		return nil, status.Error(codes.InvalidArgument, "Wrong input: unknown distance")
	}
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	if _, ok := c.s.colls[r.GetCollectionName()]; ok {
		return nil, status.Errorf(codes.AlreadyExists, "Wrong input: Collection `%s` already exists!", r.GetCollectionName())
	}
	c.s.colls[r.GetCollectionName()] = &collection{
		dim: p.GetSize(), dist: p.GetDistance(),
		points: map[string]*point{}, indexes: map[string]qdrant.FieldType{},
		quant: r.GetQuantizationConfig(),
	}
	return &qdrant.CollectionOperationResponse{Result: true}, nil
}

// Update applies the quantization part of an update (the rest is ignored).
func (c *collectionsSvc) Update(_ context.Context, r *qdrant.UpdateCollection) (*qdrant.CollectionOperationResponse, error) {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	col, ok := c.s.colls[r.GetCollectionName()]
	if !ok {
		return nil, notFound(r.GetCollectionName())
	}
	switch q := r.GetQuantizationConfig().GetQuantization().(type) {
	case *qdrant.QuantizationConfigDiff_Scalar:
		col.quant = qdrant.NewQuantizationScalar(q.Scalar)
	case *qdrant.QuantizationConfigDiff_Product:
		col.quant = qdrant.NewQuantizationProduct(q.Product)
	case *qdrant.QuantizationConfigDiff_Binary:
		col.quant = qdrant.NewQuantizationBinary(q.Binary)
	case *qdrant.QuantizationConfigDiff_Disabled:
		col.quant = nil
	}
	return &qdrant.CollectionOperationResponse{Result: true}, nil
}

func (c *collectionsSvc) CollectionExists(_ context.Context, r *qdrant.CollectionExistsRequest) (*qdrant.CollectionExistsResponse, error) {
	c.s.mu.RLock()
	defer c.s.mu.RUnlock()
	_, ok := c.s.colls[r.GetCollectionName()]
	return &qdrant.CollectionExistsResponse{Result: &qdrant.CollectionExists{Exists: ok}}, nil
}

func (c *collectionsSvc) Get(_ context.Context, r *qdrant.GetCollectionInfoRequest) (*qdrant.GetCollectionInfoResponse, error) {
	c.s.mu.RLock()
	defer c.s.mu.RUnlock()
	col, ok := c.s.colls[r.GetCollectionName()]
	if !ok {
		return nil, notFound(r.GetCollectionName())
	}
	schema := map[string]*qdrant.PayloadSchemaInfo{}
	for f, t := range col.indexes {
		schema[f] = &qdrant.PayloadSchemaInfo{DataType: qdrant.PayloadSchemaType(int32(t) + 1)} // FieldType is 0-based, PayloadSchemaType 1-based
	}
	n := uint64(len(col.points))
	return &qdrant.GetCollectionInfoResponse{Result: &qdrant.CollectionInfo{
		Status:        qdrant.CollectionStatus_Green,
		PointsCount:   &n,
		PayloadSchema: schema,
		Config: &qdrant.CollectionConfig{Params: &qdrant.CollectionParams{
			ShardNumber:   1,
			VectorsConfig: qdrant.NewVectorsConfig(&qdrant.VectorParams{Size: col.dim, Distance: col.dist}),
		}, QuantizationConfig: col.quant},
	}}, nil
}

func (c *collectionsSvc) List(context.Context, *qdrant.ListCollectionsRequest) (*qdrant.ListCollectionsResponse, error) {
	c.s.mu.RLock()
	defer c.s.mu.RUnlock()
	out := &qdrant.ListCollectionsResponse{}
	for n := range c.s.colls {
		out.Collections = append(out.Collections, &qdrant.CollectionDescription{Name: n})
	}
	return out, nil
}

func (c *collectionsSvc) Delete(_ context.Context, r *qdrant.DeleteCollection) (*qdrant.CollectionOperationResponse, error) {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	_, ok := c.s.colls[r.GetCollectionName()]
	delete(c.s.colls, r.GetCollectionName())
	// Real Qdrant is idempotent here: OK with result=false for a missing collection.
	// NB: the go-client's DeleteCollection turns result=false into an error.
	return &qdrant.CollectionOperationResponse{Result: ok}, nil
}

// ---------------------------------------------------------------- Points service

type pointsSvc struct {
	qdrant.UnimplementedPointsServer
	s *Server
}

func completed() *qdrant.PointsOperationResponse {
	return &qdrant.PointsOperationResponse{Result: &qdrant.UpdateResult{Status: qdrant.UpdateStatus_Completed}}
}

func (p *pointsSvc) col(name string) (*collection, error) {
	c, ok := p.s.colls[name]
	if !ok {
		return nil, notFound(name)
	}
	return c, nil
}

func (p *pointsSvc) CreateFieldIndex(_ context.Context, r *qdrant.CreateFieldIndexCollection) (*qdrant.PointsOperationResponse, error) {
	p.s.mu.Lock()
	defer p.s.mu.Unlock()
	c, err := p.col(r.GetCollectionName())
	if err != nil {
		return nil, err
	}
	if r.FieldType == nil {
		return nil, status.Error(codes.InvalidArgument, "Wrong input: field_type is required")
	}
	c.indexes[r.GetFieldName()] = r.GetFieldType()
	return completed(), nil
}

func pointKey(id *qdrant.PointId) (string, error) {
	switch v := id.GetPointIdOptions().(type) {
	case *qdrant.PointId_Num:
		return fmt.Sprintf("n:%d", v.Num), nil
	case *qdrant.PointId_Uuid:
		u, ok := canonicalUUID(v.Uuid)
		if !ok {
			return "", status.Errorf(codes.InvalidArgument, "Unable to parse UUID: %s", v.Uuid)
		}
		return "u:" + u, nil
	}
	return "", status.Error(codes.InvalidArgument, "Wrong input: empty point id")
}

// canonicalUUID accepts hyphenated or simple hex and returns lowercase hyphenated form
// (real Qdrant returns UUIDs in this canonical form).
func canonicalUUID(s string) (string, bool) {
	h := strings.ToLower(strings.ReplaceAll(s, "-", ""))
	if len(h) != 32 {
		return "", false
	}
	for _, r := range h {
		if !strings.ContainsRune("0123456789abcdef", r) {
			return "", false
		}
	}
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:], true
}

func canonicalID(id *qdrant.PointId) *qdrant.PointId {
	if u, ok := id.GetPointIdOptions().(*qdrant.PointId_Uuid); ok {
		c, _ := canonicalUUID(u.Uuid)
		return qdrant.NewID(c)
	}
	return id
}

// denseOf extracts a dense vector from a *qdrant.Vector, accepting the v1.17 oneof
// (Vector_Dense) and the deprecated flat Data field.
func denseOf(v *qdrant.Vector) ([]float32, bool) {
	if d := v.GetDense(); d != nil {
		return d.GetData(), true
	}
	if v.GetVector() == nil && v.GetData() != nil { //nolint:staticcheck // deprecated field still accepted by Qdrant
		return v.GetData(), true //nolint:staticcheck
	}
	return nil, false
}

func dimErr(want uint64, got int) error {
	return status.Errorf(codes.InvalidArgument, "Wrong input: Vector dimension error: expected dim: %d, got %d", want, got)
}

func normalise(v []float32) []float32 {
	var n float64
	for _, x := range v {
		n += float64(x) * float64(x)
	}
	out := make([]float32, len(v))
	if n == 0 {
		return out
	}
	n = math.Sqrt(n)
	for i, x := range v {
		out[i] = float32(float64(x) / n)
	}
	return out
}

func (p *pointsSvc) Upsert(_ context.Context, r *qdrant.UpsertPoints) (*qdrant.PointsOperationResponse, error) {
	p.s.mu.Lock()
	defer p.s.mu.Unlock()
	c, err := p.col(r.GetCollectionName())
	if err != nil {
		return nil, err
	}
	staged := map[string]*point{}
	for _, ps := range r.GetPoints() { // validate everything first: all-or-nothing
		k, err := pointKey(ps.GetId())
		if err != nil {
			return nil, err
		}
		vec, ok := denseOf(ps.GetVectors().GetVector())
		if !ok {
			return nil, status.Error(codes.InvalidArgument, "Wrong input: fake supports only a single unnamed dense vector per point")
		}
		if uint64(len(vec)) != c.dim {
			return nil, dimErr(c.dim, len(vec))
		}
		if c.dist == qdrant.Distance_Cosine {
			vec = normalise(vec)
		} else {
			vec = append([]float32(nil), vec...)
		}
		staged[k] = &point{id: canonicalID(ps.GetId()), vec: vec, payload: ps.GetPayload()}
	}
	for k, pt := range staged {
		c.points[k] = pt
	}
	return completed(), nil
}

func (p *pointsSvc) Delete(_ context.Context, r *qdrant.DeletePoints) (*qdrant.PointsOperationResponse, error) {
	p.s.mu.Lock()
	defer p.s.mu.Unlock()
	c, err := p.col(r.GetCollectionName())
	if err != nil {
		return nil, err
	}
	switch sel := r.GetPoints().GetPointsSelectorOneOf().(type) {
	case *qdrant.PointsSelector_Points:
		for _, id := range sel.Points.GetIds() {
			if k, err := pointKey(id); err == nil {
				delete(c.points, k)
			}
		}
	case *qdrant.PointsSelector_Filter:
		for k, pt := range c.points {
			ok, err := matchFilter(sel.Filter, pt)
			if err != nil {
				return nil, err
			}
			if ok {
				delete(c.points, k)
			}
		}
	default:
		return nil, status.Error(codes.InvalidArgument, "Wrong input: points selector is required")
	}
	return completed(), nil
}

func (p *pointsSvc) Count(_ context.Context, r *qdrant.CountPoints) (*qdrant.CountResponse, error) {
	p.s.mu.RLock()
	defer p.s.mu.RUnlock()
	c, err := p.col(r.GetCollectionName())
	if err != nil {
		return nil, err
	}
	var n uint64
	for _, pt := range c.points {
		ok, err := matchFilter(r.GetFilter(), pt)
		if err != nil {
			return nil, err
		}
		if ok {
			n++
		}
	}
	return &qdrant.CountResponse{Result: &qdrant.CountResult{Count: n}}, nil
}

func score(dist qdrant.Distance, q, v []float32) float32 {
	var s float64
	switch dist {
	case qdrant.Distance_Cosine, qdrant.Distance_Dot: // cosine: both sides pre-normalised
		for i := range q {
			s += float64(q[i]) * float64(v[i])
		}
	case qdrant.Distance_Euclid:
		for i := range q {
			d := float64(q[i] - v[i])
			s += d * d
		}
		s = math.Sqrt(s)
	case qdrant.Distance_Manhattan:
		for i := range q {
			s += math.Abs(float64(q[i] - v[i]))
		}
	}
	return float32(s)
}

func higherIsBetter(d qdrant.Distance) bool {
	return d == qdrant.Distance_Cosine || d == qdrant.Distance_Dot
}

// Get returns the points with the given IDs that exist.
func (p *pointsSvc) Get(_ context.Context, r *qdrant.GetPoints) (*qdrant.GetResponse, error) {
	p.s.mu.RLock()
	defer p.s.mu.RUnlock()
	c, err := p.col(r.GetCollectionName())
	if err != nil {
		return nil, err
	}
	out := &qdrant.GetResponse{}
	for _, id := range r.GetIds() {
		k, err := pointKey(id)
		if err != nil {
			return nil, err
		}
		pt, ok := c.points[k]
		if !ok {
			continue
		}
		rp := &qdrant.RetrievedPoint{Id: pt.id, Payload: selectPayload(r.GetWithPayload(), pt.payload)}
		if r.GetWithVectors().GetEnable() {
			rp.Vectors = denseOutput(pt.vec)
		}
		out.Result = append(out.Result, rp)
	}
	return out, nil
}

func denseOutput(v []float32) *qdrant.VectorsOutput {
	return &qdrant.VectorsOutput{VectorsOptions: &qdrant.VectorsOutput_Vector{
		Vector: &qdrant.VectorOutput{Vector: &qdrant.VectorOutput_Dense{Dense: &qdrant.DenseVector{Data: v}}},
	}}
}

func (p *pointsSvc) Query(_ context.Context, r *qdrant.QueryPoints) (*qdrant.QueryResponse, error) {
	p.s.mu.Lock() // records the search params
	p.s.last = r.GetParams()
	p.s.mu.Unlock()
	p.s.mu.RLock()
	defer p.s.mu.RUnlock()
	c, err := p.col(r.GetCollectionName())
	if err != nil {
		return nil, err
	}
	if len(r.GetPrefetch()) > 0 || r.Using != nil {
		return nil, status.Error(codes.Unimplemented, "fake: prefetch/using not supported")
	}
	var q []float32
	if r.Query != nil {
		dense := r.GetQuery().GetNearest().GetDense()
		if dense == nil {
			return nil, status.Error(codes.Unimplemented, "fake: only nearest(dense) queries are supported")
		}
		q = dense.GetData()
		if uint64(len(q)) != c.dim {
			return nil, dimErr(c.dim, len(q))
		}
		if c.dist == qdrant.Distance_Cosine {
			q = normalise(q)
		}
	}
	type hit struct {
		key string
		pt  *point
		s   float32
	}
	var hits []hit
	for k, pt := range c.points {
		ok, err := matchFilter(r.GetFilter(), pt)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		h := hit{key: k, pt: pt}
		if q != nil {
			h.s = score(c.dist, q, pt.vec)
			if r.ScoreThreshold != nil {
				t := r.GetScoreThreshold()
				if (higherIsBetter(c.dist) && h.s < t) || (!higherIsBetter(c.dist) && h.s > t) {
					continue
				}
			}
		}
		hits = append(hits, h)
	}
	sort.Slice(hits, func(i, j int) bool {
		if q == nil || hits[i].s == hits[j].s {
			return hits[i].key < hits[j].key // no query: ordered by id
		}
		if higherIsBetter(c.dist) {
			return hits[i].s > hits[j].s
		}
		return hits[i].s < hits[j].s
	})
	limit := uint64(10) // Qdrant default
	if r.Limit != nil {
		limit = r.GetLimit()
	}
	off := r.GetOffset()
	if off > uint64(len(hits)) {
		off = uint64(len(hits))
	}
	hits = hits[off:]
	if uint64(len(hits)) > limit {
		hits = hits[:limit]
	}
	out := &qdrant.QueryResponse{}
	for _, h := range hits {
		sp := &qdrant.ScoredPoint{Id: h.pt.id, Score: h.s, Version: 1}
		sp.Payload = selectPayload(r.GetWithPayload(), h.pt.payload)
		if r.GetWithVectors().GetEnable() {
			sp.Vectors = denseOutput(h.pt.vec)
		}
		out.Result = append(out.Result, sp)
	}
	return out, nil
}

// selectPayload mirrors Query's default of with_payload=false.
func selectPayload(sel *qdrant.WithPayloadSelector, pl map[string]*qdrant.Value) map[string]*qdrant.Value {
	switch s := sel.GetSelectorOptions().(type) {
	case *qdrant.WithPayloadSelector_Enable:
		if s.Enable {
			return pl
		}
	case *qdrant.WithPayloadSelector_Include:
		out := map[string]*qdrant.Value{}
		for _, f := range s.Include.GetFields() {
			if v, ok := pl[f]; ok {
				out[f] = v
			}
		}
		return out
	case *qdrant.WithPayloadSelector_Exclude:
		out := map[string]*qdrant.Value{}
		for k, v := range pl {
			if !contains(s.Exclude.GetFields(), k) {
				out[k] = v
			}
		}
		return out
	}
	return nil
}

// ------------------------------------------------------------------- filtering

func matchFilter(f *qdrant.Filter, pt *point) (bool, error) {
	if f == nil {
		return true, nil
	}
	for _, c := range f.GetMust() {
		ok, err := matchCond(c, pt)
		if err != nil || !ok {
			return false, err
		}
	}
	for _, c := range f.GetMustNot() {
		ok, err := matchCond(c, pt)
		if err != nil || ok {
			return false, err
		}
	}
	if len(f.GetShould()) > 0 {
		any := false
		for _, c := range f.GetShould() {
			ok, err := matchCond(c, pt)
			if err != nil {
				return false, err
			}
			any = any || ok
		}
		if !any {
			return false, nil
		}
	}
	if f.MinShould != nil {
		return false, status.Error(codes.Unimplemented, "fake: min_should not supported")
	}
	return true, nil
}

func matchCond(c *qdrant.Condition, pt *point) (bool, error) {
	switch v := c.GetConditionOneOf().(type) {
	case *qdrant.Condition_Filter:
		return matchFilter(v.Filter, pt)
	case *qdrant.Condition_HasId:
		k, _ := pointKey(pt.id)
		for _, id := range v.HasId.GetHasId() {
			if k2, err := pointKey(id); err == nil && k2 == k {
				return true, nil
			}
		}
		return false, nil
	case *qdrant.Condition_Field:
		return matchField(v.Field, pt)
	}
	return false, status.Errorf(codes.Unimplemented, "fake: condition %T not supported", c.GetConditionOneOf())
}

// values returns the payload values at key; arrays are flattened (Qdrant matches
// a keyword condition if any array element matches). Dotted paths are supported.
func values(pl map[string]*qdrant.Value, key string) []*qdrant.Value {
	parts := strings.Split(key, ".")
	cur := []*qdrant.Value{{Kind: &qdrant.Value_StructValue{StructValue: &qdrant.Struct{Fields: pl}}}}
	for _, p := range parts {
		var next []*qdrant.Value
		for _, v := range cur {
			if s := v.GetStructValue(); s != nil {
				if x, ok := s.GetFields()[p]; ok {
					next = append(next, x)
				}
			}
		}
		cur = next
	}
	var flat []*qdrant.Value
	for _, v := range cur {
		if l := v.GetListValue(); l != nil {
			flat = append(flat, l.GetValues()...)
		} else {
			flat = append(flat, v)
		}
	}
	return flat
}

func matchField(fc *qdrant.FieldCondition, pt *point) (bool, error) {
	m := fc.GetMatch()
	if m == nil {
		return false, status.Error(codes.Unimplemented, "fake: only match field conditions are supported")
	}
	vals := values(pt.payload, fc.GetKey())
	anyOf := func(pred func(*qdrant.Value) bool) bool {
		for _, v := range vals {
			if pred(v) {
				return true
			}
		}
		return false
	}
	isStr := func(v *qdrant.Value) bool { _, ok := v.GetKind().(*qdrant.Value_StringValue); return ok }
	isInt := func(v *qdrant.Value) bool { _, ok := v.GetKind().(*qdrant.Value_IntegerValue); return ok }
	switch mv := m.GetMatchValue().(type) {
	case *qdrant.Match_Keyword:
		return anyOf(func(v *qdrant.Value) bool { return isStr(v) && v.GetStringValue() == mv.Keyword }), nil
	case *qdrant.Match_Keywords:
		return anyOf(func(v *qdrant.Value) bool { return isStr(v) && contains(mv.Keywords.GetStrings(), v.GetStringValue()) }), nil
	case *qdrant.Match_ExceptKeywords:
		return !anyOf(func(v *qdrant.Value) bool {
			return isStr(v) && contains(mv.ExceptKeywords.GetStrings(), v.GetStringValue())
		}), nil
	case *qdrant.Match_Integer:
		return anyOf(func(v *qdrant.Value) bool { return isInt(v) && v.GetIntegerValue() == mv.Integer }), nil
	case *qdrant.Match_Boolean:
		return anyOf(func(v *qdrant.Value) bool {
			_, ok := v.GetKind().(*qdrant.Value_BoolValue)
			return ok && v.GetBoolValue() == mv.Boolean
		}), nil
	}
	return false, status.Errorf(codes.Unimplemented, "fake: match %T not supported", m.GetMatchValue())
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
