package ollamatest

import (
	"bytes"
	"encoding/binary"
	"math"
	"os"
)

// WriteLoRA writes a LoRA adapter GGUF for stories260K (the weights of
// ChatModel) to path, the way llama.cpp's convert_lora_to_gguf lays one
// out: general.type "adapter", adapter.type "lora", and rank-1 lora_a and
// lora_b tensors for every block's attention query and output
// projections, with every value set to weight. Weight 0 gives an adapter
// that changes nothing; a large one changes what the model writes.
func WriteLoRA(path string, weight float32) error {
	const embd, blocks, rank = 64, 5, 1
	type tensor struct {
		name string
		dims []uint64
	}
	var tensors []tensor
	for b := 0; b < blocks; b++ {
		for _, w := range []string{"attn_q", "attn_output"} {
			base := "blk." + string(rune('0'+b)) + "." + w + ".weight"
			// For a weight of shape [in, out]: A is [in, r], B is [r, out].
			tensors = append(tensors, tensor{base + ".lora_a", []uint64{embd, rank}}, tensor{base + ".lora_b", []uint64{rank, embd}})
		}
	}
	var buf bytes.Buffer
	le := func(v any) { binary.Write(&buf, binary.LittleEndian, v) }
	str := func(s string) { le(uint64(len(s))); buf.WriteString(s) }
	const typeFloat32, typeString, alignment = 6, 8, 32
	buf.WriteString("GGUF")
	le(uint32(3))
	le(uint64(len(tensors)))
	kvs := []struct {
		key string
		val any
	}{{"general.architecture", "llama"}, {"general.type", "adapter"}, {"adapter.type", "lora"}, {"adapter.lora.alpha", float32(rank)}}
	le(uint64(len(kvs)))
	for _, kv := range kvs {
		str(kv.key)
		switch v := kv.val.(type) {
		case string:
			le(uint32(typeString))
			str(v)
		case float32:
			le(uint32(typeFloat32))
			le(v)
		}
	}
	var offset uint64
	for _, t := range tensors {
		str(t.name)
		le(uint32(len(t.dims)))
		for _, d := range t.dims {
			le(d)
		}
		le(uint32(0)) // F32
		le(offset)
		n := uint64(4)
		for _, d := range t.dims {
			n *= d
		}
		offset += (n + alignment - 1) / alignment * alignment
	}
	for buf.Len()%alignment != 0 {
		buf.WriteByte(0)
	}
	bits := math.Float32bits(weight)
	for _, t := range tensors {
		n := 1
		for _, d := range t.dims {
			n *= int(d)
		}
		start := buf.Len()
		for i := 0; i < n; i++ {
			le(bits)
		}
		for (buf.Len()-start)%alignment != 0 {
			buf.WriteByte(0)
		}
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}
