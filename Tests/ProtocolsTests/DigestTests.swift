import Protocols
import Testing

@Suite("SHA-1 and Base64")
struct DigestTests {
    private func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }

    /// FIPS 180-2 Appendix A test vectors (one block, two blocks, a million "a"), plus the empty message.
    @Test func fipsVectors() {
        #expect(hex(SHA1.hash(Array("abc".utf8))) == "a9993e364706816aba3e25717850c26c9cd0d89d")
        #expect(hex(SHA1.hash(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)))
            == "84983e441c3bd26ebaae4aa1f95129e5e54670f1")
        #expect(hex(SHA1.hash(repeatElement(UInt8(ascii: "a"), count: 1_000_000))) == "34aa973cd4c4daa4f61eeb2bdbad27316534016f")
        #expect(hex(SHA1.hash([UInt8]())) == "da39a3ee5e6b4b0d3255bfef95601890afd80709")
    }

    /// Message lengths around the padding boundary (55, 56, 63, 64 bytes) hashed whole and in pieces agree.
    @Test func paddingBoundariesAndIncrementalUpdates() {
        for length in [55, 56, 57, 63, 64, 65, 119, 120] {
            let message = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 7) }
            var pieces = SHA1()
            for chunk in stride(from: 0, to: length, by: 5) { pieces.update(message[chunk..<min(length, chunk + 5)]) }
            #expect(pieces.finalize() == SHA1.hash(message), "length \(length)")
        }
        // 56 bytes needs a second padding block: the FIPS two-block vector above is exactly that case.
    }

    /// RFC 4648 §10 test vectors, both ways.
    @Test func rfc4648Vectors() {
        let vectors = [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="),
                       ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy")]
        for (plain, encoded) in vectors {
            #expect(Base64.encode(Array(plain.utf8)) == encoded)
            #expect(Base64.decode(encoded) == Array(plain.utf8))
        }
    }

    @Test func rejectsNonCanonicalBase64() {
        for bad in ["Zg=", "Z===", "Zh==", "Zm9=v", "Zm9v!", "=Zm9", "Zm8=Zm8="] {
            #expect(Base64.decode(bad) == nil, "\(bad)")
        }
    }

    /// RFC 6455 §1.3: the key "dGhlIHNhbXBsZSBub25jZQ==" gives the accept value "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=".
    @Test func webSocketAcceptExample() {
        let key = "dGhlIHNhbXBsZSBub25jZQ=="
        let accept = Base64.encode(SHA1.hash(Array((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").utf8)))
        #expect(accept == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
    }
}
