@testable import EdgeDashboard
import EdgeSession
import EdgeTrace
import XCTest

/// The quality panel's line for accuracy on real images.
final class QualityAccuracyPanelTests: XCTestCase {
    private func text(_ reports: [QualityReport], width: Int) -> String {
        var s = DashboardState(header: Fixture.header(), mode: .live(recordingTo: nil))
        s.ingest([.config(ConfigChange(t: 0, backend: "int8", model: "m", threads: 1))] + reports.map { .quality($0) })
        var buf = Snapshot.sentinel(width: width + 2, height: 5)
        let area = Rect(x: 1, y: 1, width: width, height: 3)
        QualityPanel.draw(into: &buf, area: area, state: s, palette: Palette(theme: s.theme, capabilities: s.capabilities))
        Snapshot.assertUntouchedOutside(buf, area)
        return buf.lines().joined(separator: "\n")
    }

    func testRunningAccuracyIsShownWithItsCounts() {
        let noise = QualityReport(t: 0.1, backend: "int8", model: "m", cosine: 0.995, top1Agree: true)
        let plain = text([noise], width: 90)
        XCTAssertFalse(plain.contains("real images"))
        XCTAssertTrue(plain.contains("Quality vs reference, seeded weights"), plain)
        let file = QualityReport(t: 0.1, backend: "int8", model: "my.tflite", cosine: 0.995, top1Agree: true)
        XCTAssertEqual(QualityPanel.note([file]), "vs reference, noise input")
        let scored = QualityReport(t: 0.2, backend: "int8", model: "m", cosine: 0.995, top1Agree: true,
                                   accuracy: ImageAccuracyCount(images: 3, top1: 2, top5: 3))
        let shown = text([noise, scored], width: 90)
        XCTAssertTrue(shown.contains("top-1 2/3, top-5 3/3 (real images)"), shown)
        XCTAssertFalse(shown.contains("seeded"), shown)
        // A narrow panel cuts the line rather than spilling out of its area (checked above).
        XCTAssertFalse(text([scored], width: 30).contains("(real images)"))
    }

    func testVariantAgreementIsShownWithItsCount() {
        var q = QualityReport(t: 0.2, backend: "int8", model: "m", cosine: 0.995, top1Agree: true,
                              accuracy: ImageAccuracyCount(images: 4, top1: 3, top5: 4))
        XCTAssertFalse(text([q], width: 140).contains("same top-1"))
        q.agreement = ImageAgreementCount(with: "a_fp32.tflite", images: 4, top1: 3)
        let shown = text([q], width: 140)
        XCTAssertTrue(shown.contains("top-1 3/4, top-5 4/4 (real images)  same top-1 as a_fp32.tflite on 3/4"), shown)
    }
}
