"""Writes the compiled .proto descriptors held in a `p4runtime` wheel as one FileDescriptorSet for protoc.

protoc's Python output embeds each file's FileDescriptorProto as a bytes literal: `serialized_pb=b'...'`
(older protoc) or `AddSerializedFile(b'...')` (newer). The literals are read with the ast module, never
executed. A FileDescriptorSet is `repeated FileDescriptorProto file = 1`: each one is written as field 1,
length-delimited, so no protobuf library is needed.
    descriptors.py WHEEL OUT
"""
import ast
import sys
import zipfile


def varint(n):
    out = bytearray()
    while True:
        low, n = n & 0x7F, n >> 7
        out.append(low | (0x80 if n else 0))
        if not n:
            return bytes(out)


def descriptors(source):
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        literals = [k.value for k in node.keywords if k.arg == "serialized_pb"]
        if getattr(node.func, "attr", "") == "AddSerializedFile":
            literals += node.args[:1]
        for literal in literals:
            if isinstance(literal, ast.Constant) and isinstance(literal.value, bytes):
                yield literal.value


def main(wheel, out):
    with zipfile.ZipFile(wheel) as z:
        files = [d for name in sorted(z.namelist()) if name.endswith("_pb2.py") for d in descriptors(z.read(name))]
    if len(files) < 4:
        sys.exit(f"descriptors.py: {wheel} holds {len(files)} descriptors, expected p4runtime, p4data, p4info, p4types")
    with open(out, "wb") as f:
        for fd in files:
            f.write(b"\x0a" + varint(len(fd)) + fd)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
