import Foundation
import XCTest
@testable import EdgeTrace

/// The image-accuracy fields of `quality` events: written, read back, and checked.
final class QualityAccuracyTests: XCTestCase {
    private func trace(_ lines: [String]) throws -> String {
        let path = try TestPaths.temporaryDirectory(self) + "/q.jsonl"
        let header = String(decoding: TraceFormat.encode(testHeader()), as: UTF8.self)
        try ([header.trimmingCharacters(in: .newlines)] + lines).joined(separator: "\n").appending("\n")
            .write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func testAccuracyRoundTripsAndIsOptional() throws {
        let scored = QualityReport(t: 1, backend: "int8", model: "efficientnet_lite0.tflite", cosine: 0.99, top1Agree: true,
                                   accuracy: ImageAccuracyCount(images: 3, top1: 2, top5: 3))
        let line = TraceFormat.encodeLine(.quality(scored))
        XCTAssertTrue(line.hasSuffix(#""top1_agree":true,"images":3,"top1_correct":2,"top5_correct":3}"#), line)
        let plain = QualityReport(t: 2, backend: "fp32", model: "m", cosine: 1, top1Agree: true)
        XCTAssertFalse(TraceFormat.encodeLine(.quality(plain)).contains("images"))
        let path = try trace([line, TraceFormat.encodeLine(.quality(plain))])
        XCTAssertEqual(try readAll(TraceReader(path: path)), [.quality(scored), .quality(plain)])
    }

    func testImpossibleTalliesAreRejected() {
        XCTAssertNil(ImageAccuracyCount(images: 3, top1: 3, top5: 2))
        XCTAssertNil(ImageAccuracyCount(images: 3, top1: 1, top5: 4))
        XCTAssertNil(ImageAccuracyCount(images: 3, top1: -1, top5: 1))
        XCTAssertNotNil(ImageAccuracyCount(images: 0, top1: 0, top5: 0))
    }

    func testPartialOrImpossibleAccuracyIsAnErrorWithItsLine() throws {
        let base = #"{"type":"quality","t":1,"backend":"int8","model":"m","cosine":0.9,"top1_agree":true"#
        let partial = try trace([base + #","images":4,"top1_correct":1}"#])
        XCTAssertEqual(readError(partial),
                       "\(partial):2: fields \"images\", \"top1_correct\" and \"top5_correct\" go together, found only some")
        let impossible = try trace([base + "}", base + #","images":4,"top1_correct":3,"top5_correct":2}"#])
        XCTAssertEqual(readError(impossible),
                       "\(impossible):3: image accuracy should have 0 ≤ top1_correct ≤ top5_correct ≤ images, found 3, 2, 4")
    }

    func testVariantAgreementRoundTripsAndIsChecked() throws {
        var q = QualityReport(t: 1, backend: "int8", model: "a_int8.tflite", cosine: 0.99, top1Agree: true)
        q.agreement = ImageAgreementCount(with: "a_fp32.tflite", images: 4, top1: 3)
        let line = TraceFormat.encodeLine(.quality(q))
        XCTAssertTrue(line.hasSuffix(#""agree_with":"a_fp32.tflite","agree_images":4,"agree_top1":3}"#), line)
        let path = try trace([line])
        XCTAssertEqual(try readAll(TraceReader(path: path)), [.quality(q)])
        XCTAssertNil(ImageAgreementCount(with: "b", images: 2, top1: 3))
        let base = #"{"type":"quality","t":1,"backend":"int8","model":"m","cosine":0.9,"top1_agree":true"#
        let bad = try trace([base + #","agree_with":"b","agree_images":2,"agree_top1":3}"#])
        XCTAssertEqual(readError(bad), "\(bad):2: agreement should have 0 ≤ agree_top1 ≤ agree_images, found 3, 2")
    }
}
