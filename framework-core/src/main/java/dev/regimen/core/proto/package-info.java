/**
 * The Protocol Buffers wire format, written by hand: what TensorBoard's event files and ONNX models are
 * made of, without a protobuf runtime or generated classes. {@link dev.regimen.core.proto.ProtoWriter}
 * encodes a message field by field and {@link dev.regimen.core.proto.ProtoReader} decodes one; the message
 * layouts (field numbers and types) live with the code
 * that writes each format.
 */
package dev.regimen.core.proto;
