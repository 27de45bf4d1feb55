package flat

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"iter"
	"math"
	"os"
	"path/filepath"
)

// The log is a header, then records framed as
//
//	length uint32 | crc32 uint32 | payload
//
// with payload: op byte | tenant (uvarint length + bytes) |
// key (uvarint length + bytes) | vector (float32 little-endian, puts only).
const magic = "shopdesk-vectors-1\n"

const (
	opPut    byte = 1
	opDelete byte = 2
)

type record struct {
	op     byte
	tenant string
	key    string
	vec    []float32
	// at is where the vector's float32 values start in the log file, once
	// the record has been read from it or written to it.
	at int64
}

// vecOffset is where a put record's vector starts, counted from the start
// of its frame.
func (r record) vecOffset() int64 {
	return int64(8 + 1 + uvarintLen(len(r.tenant)) + len(r.tenant) + uvarintLen(len(r.key)) + len(r.key))
}

func uvarintLen(n int) int {
	var b [binary.MaxVarintLen64]byte
	return binary.PutUvarint(b[:], uint64(n))
}

// recordSize is the size of a put record in the log.
func recordSize(tenant, key string, dims int) int64 {
	return int64(8 + 1 + binary.MaxVarintLen16 + len(tenant) + binary.MaxVarintLen16 + len(key) + 4*dims)
}

func (r record) encode(buf []byte) []byte {
	start := len(buf)
	buf = append(buf, 0, 0, 0, 0, 0, 0, 0, 0) // length and checksum, filled below
	buf = append(buf, r.op)
	buf = binary.AppendUvarint(buf, uint64(len(r.tenant)))
	buf = append(buf, r.tenant...)
	buf = binary.AppendUvarint(buf, uint64(len(r.key)))
	buf = append(buf, r.key...)
	for _, f := range r.vec {
		buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(f))
	}
	payload := buf[start+8:]
	binary.LittleEndian.PutUint32(buf[start:], uint32(len(payload)))
	binary.LittleEndian.PutUint32(buf[start+4:], crc32.ChecksumIEEE(payload))
	return buf
}

var errTorn = errors.New("torn record")

func decode(payload []byte) (record, error) {
	var r record
	if len(payload) < 1 {
		return r, errTorn
	}
	r.op = payload[0]
	rest := payload[1:]
	str := func() (string, bool) {
		n, k := binary.Uvarint(rest)
		if k <= 0 || uint64(len(rest)-k) < n {
			return "", false
		}
		s := string(rest[k : k+int(n)])
		rest = rest[k+int(n):]
		return s, true
	}
	var ok1, ok2 bool
	r.tenant, ok1 = str()
	r.key, ok2 = str()
	if !ok1 || !ok2 {
		return r, errTorn
	}
	switch r.op {
	case opPut:
		if len(rest)%4 != 0 || len(rest) == 0 {
			return r, errTorn
		}
		r.vec = make([]float32, len(rest)/4)
		for i := range r.vec {
			r.vec[i] = math.Float32frombits(binary.LittleEndian.Uint32(rest[4*i:]))
		}
	case opDelete:
		if len(rest) != 0 {
			return r, errTorn
		}
	default:
		return r, errTorn
	}
	return r, nil
}

type logFile struct {
	path string
	f    *os.File
	size int64
}

// openLog replays the log at path into apply and opens it for appending.
// A record cut short or failing its checksum ends the log: it and what
// follows are dropped, as a crash mid-append leaves them.
func openLog(path string, apply func(record) error) (*logFile, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if st.Size() == 0 {
		if _, err := f.WriteString(magic); err != nil {
			f.Close()
			return nil, err
		}
		if err := f.Sync(); err != nil {
			f.Close()
			return nil, err
		}
		return &logFile{path: path, f: f, size: int64(len(magic))}, nil
	}
	r := bufio.NewReaderSize(f, 1<<20)
	head := make([]byte, len(magic))
	if _, err := io.ReadFull(r, head); err != nil || string(head) != magic {
		f.Close()
		return nil, fmt.Errorf("%s is not a shopdesk vector log", path)
	}
	good := int64(len(magic))
	frame := make([]byte, 8)
	var payload []byte
	for {
		if _, err := io.ReadFull(r, frame); err != nil {
			break // end of log, or a torn frame header
		}
		n := binary.LittleEndian.Uint32(frame)
		if int64(n) > st.Size()-good {
			break
		}
		if cap(payload) < int(n) {
			payload = make([]byte, n)
		}
		payload = payload[:n]
		if _, err := io.ReadFull(r, payload); err != nil || crc32.ChecksumIEEE(payload) != binary.LittleEndian.Uint32(frame[4:]) {
			break
		}
		rec, err := decode(payload)
		if err != nil {
			break
		}
		rec.at = good + rec.vecOffset()
		if err := apply(rec); err != nil {
			f.Close()
			return nil, err
		}
		good += 8 + int64(n)
	}
	if good < st.Size() {
		if err := f.Truncate(good); err != nil {
			f.Close()
			return nil, err
		}
	}
	if _, err := f.Seek(good, io.SeekStart); err != nil {
		f.Close()
		return nil, err
	}
	return &logFile{path: path, f: f, size: good}, nil
}

// append writes records and syncs them to disk, setting where each
// record's vector lies.
func (l *logFile) append(recs []record) error {
	var buf []byte
	for i, r := range recs {
		recs[i].at = l.size + int64(len(buf)) + r.vecOffset()
		buf = r.encode(buf)
	}
	if _, err := l.f.Write(buf); err != nil {
		// Cut off a partial write so the log stays well formed.
		l.f.Truncate(l.size)
		l.f.Seek(l.size, io.SeekStart)
		return fmt.Errorf("vector log: %w", err)
	}
	if err := l.f.Sync(); err != nil {
		return fmt.Errorf("vector log: %w", err)
	}
	l.size += int64(len(buf))
	return nil
}

// rewrite writes recs to a fresh log, replaces this one with it
// atomically, and returns the new log open for appending. It sets where
// each record's vector lies in the new log.
func (l *logFile) rewrite(recs iter.Seq[*record]) (*logFile, error) {
	tmp := l.path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return nil, err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString(magic)
	size := int64(len(magic))
	var buf []byte
	for r := range recs {
		r.at = size + r.vecOffset()
		buf = r.encode(buf[:0])
		w.Write(buf)
		size += int64(len(buf))
	}
	if err := w.Flush(); err != nil {
		f.Close()
		os.Remove(tmp)
		return nil, err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(tmp)
		return nil, err
	}
	if err := os.Rename(tmp, l.path); err != nil {
		f.Close()
		os.Remove(tmp)
		return nil, err
	}
	if dir, err := os.Open(filepath.Dir(l.path)); err == nil {
		dir.Sync()
		dir.Close()
	}
	l.f.Close()
	return &logFile{path: l.path, f: f, size: size}, nil
}

func (l *logFile) close() error {
	if err := l.f.Sync(); err != nil {
		l.f.Close()
		return err
	}
	return l.f.Close()
}
