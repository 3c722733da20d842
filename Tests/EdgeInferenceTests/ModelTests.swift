@testable import EdgeInference
import XCTest

final class ModelTests: XCTestCase {
    func testMobileNetV1MACsMatchThePublishedCounts() {
        XCTAssertEqual(Model.mobileNetV1(width: 1.0, resolution: 224).macs, 568_740_352)
        XCTAssertEqual(Model.mobileNetV1(width: 0.5, resolution: 160).macs, 76_524_800)
        XCTAssertEqual(Model.mobileNetV1(width: 0.25, resolution: 128).macs, 13_570_048)
        // The rounded figures quoted everywhere.
        XCTAssertEqual((Double(Model.mobileNetV1(width: 1.0, resolution: 224).macs) / 1e5).rounded() / 10, 568.7)
    }

    func testMobileNetV2MACsMatchThePublishedCount() {
        let m = Model.mobileNetV2(resolution: 224)
        XCTAssertEqual(m.macs, 300_774_272)
        XCTAssertEqual((Double(m.macs) / 1e5).rounded() / 10, 300.8)
        // 10 inverted residual blocks keep their shape and get a residual add.
        XCTAssertEqual(m.layers.filter { if case .add = $0.operation { return true } else { return false } }.count, 10)
    }

    func testResNet18ShapesAndMACs() {
        let m = Model.resNet18()
        XCTAssertEqual(m.layers.first { $0.name == "maxpool" }?.outputShape, TensorShape(height: 56, width: 56, channels: 64))
        XCTAssertEqual(m.layers.first { $0.name == "layer4.1.add" }?.outputShape, TensorShape(height: 7, width: 7, channels: 512))
        XCTAssertEqual(m.outputShape, TensorShape(height: 1, width: 1, channels: 1000))
        // 1.814 G MACs is the usual figure for ResNet-18 at 224.
        XCTAssertEqual(m.macs, 1_814_073_344)
        let dense3x3 = m.layers.filter { $0.kind == "conv3x3s1" }.count
        XCTAssertEqual(dense3x3, 4 + 3 + 3 + 3)  // block 0 of stages 2-4 opens with stride 2
    }

    func testMobileNetV1ShapesFollowSamePadding() {
        let m = Model.mobileNetV1(width: 1.0, resolution: 224)
        XCTAssertEqual(m.layers.count, 1 + 26 + 2)
        XCTAssertEqual(m.layers[0].outputShape, TensorShape(height: 112, width: 112, channels: 32))
        guard case .convolution(let stem) = m.layers[0].operation else { return XCTFail("stem is not a convolution") }
        // SAME on an even size with stride 2: nothing before, one pixel after.
        XCTAssertEqual([stem.padTop, stem.padLeft, stem.padBottom, stem.padRight], [0, 0, 1, 1])
        XCTAssertEqual(m.layers[m.layers.count - 3].outputShape, TensorShape(height: 7, width: 7, channels: 1024))
        guard case .convolution(let dw) = m.layers[1].operation else { return XCTFail("dw1 is not a convolution") }
        XCTAssertTrue(dw.isDepthwise)
        XCTAssertEqual([dw.padTop, dw.padLeft, dw.padBottom, dw.padRight], [1, 1, 1, 1])
        XCTAssertEqual(dw.weights.count, 32 * 9)
    }

    func testWeightsAreDeterministicAndSeedDependent() {
        let a = Model.mobileNetV1(width: 0.25, resolution: 128)
        let b = Model.mobileNetV1(width: 0.25, resolution: 128)
        let c = Model.mobileNetV1(width: 0.25, resolution: 128, seed: 99)
        guard case .convolution(let wa) = a.layers[3].operation, case .convolution(let wb) = b.layers[3].operation,
              case .convolution(let wc) = c.layers[3].operation else { return XCTFail("layer 3 is not a convolution") }
        XCTAssertEqual(wa.weights, wb.weights)
        XCTAssertEqual(wa.bias, wb.bias)
        XCTAssertNotEqual(wa.weights, wc.weights)
        // He-style: variance near 2/fan-in times the folded scale (mean square of gamma in [0.75, 1.25] ≈ 1.02).
        let fanIn = Float(wa.kernelHeight * wa.kernelWidth * wa.inputChannels / wa.groups)
        let meanSquare = wa.weights.reduce(0) { $0 + $1 * $1 } / Float(wa.weights.count)
        XCTAssertEqual(meanSquare * fanIn / 2, 1.02, accuracy: 0.15)
    }

    func testSpecNamesRoundTripAndBadParametersAreExplained() throws {
        for spec in ModelSpec.all {
            XCTAssertEqual(ModelSpec(name: spec.name), spec)
            XCTAssertEqual(spec.build().name, spec.name)
        }
        XCTAssertEqual(ModelSpec.all.count, 16 + 4 + 1)
        XCTAssertEqual(ModelSpec.mobileNetV1(width: 1.0, resolution: 224).name, "mobilenet-v1-1.0-224")
        XCTAssertEqual(ModelSpec.mobileNetV1(width: 0.25, resolution: 128).name, "mobilenet-v1-0.25-128")
        XCTAssertEqual(ModelSpec.mobileNetV2(resolution: 224).name, "mobilenet-v2-1.0-224")
        XCTAssertEqual(ModelSpec.resNet18(resolution: 224).name, "resnet-18")
        XCTAssertEqual(try ModelSpec.family("mobilenet-v1", width: 0.5, resolution: 160).get(), .mobileNetV1(width: 0.5, resolution: 160))
        XCTAssertEqual(try ModelSpec.family("resnet-18", width: 1.0, resolution: 224).get(), .resNet18(resolution: 224))
        XCTAssertThrowsError(try ModelSpec.family("mobilenet-v1", width: 0.3, resolution: 224).get()) {
            XCTAssertEqual("\($0)", "width 0.3 is not one of 0.25, 0.5, 0.75, 1.0")
        }
        XCTAssertThrowsError(try ModelSpec.family("mobilenet-v1", width: 1.0, resolution: 100).get()) {
            XCTAssertEqual("\($0)", "resolution 100 is not one of 128, 160, 192, 224")
        }
        XCTAssertThrowsError(try ModelSpec.family("vgg", width: 1.0, resolution: 224).get()) {
            XCTAssertTrue("\($0)".contains("unknown model 'vgg'"))
        }
        XCTAssertNil(ModelSpec(name: "mobilenet-v1-1.0-225"))
    }

    func testAnOptionTheModelCannotHonourIsRefused() {
        // Options left out take the defaults; a catalog name fixes width and resolution.
        XCTAssertEqual(try ModelSpec.resolve(model: "mobilenet-v1", width: nil, resolution: nil).get(),
                       .mobileNetV1(width: 1.0, resolution: 224))
        XCTAssertEqual(try ModelSpec.resolve(model: "mobilenet-v1-0.25-128", width: 0.25, resolution: 128).get(),
                       .mobileNetV1(width: 0.25, resolution: 128))
        XCTAssertEqual(try ModelSpec.resolve(model: "resnet-18", width: nil, resolution: 224).get(), .resNet18(resolution: 224))
        let refused: [(String, Double?, Int?, String)] = [
            ("resnet-18", nil, 128, "resnet-18 is only built at resolution 224 (got 128)"),
            ("resnet-18", 0.5, nil, "resnet-18 is only built at width 1.0"),
            ("mobilenet-v2", 0.75, nil, "mobilenet-v2 is only built at width 1.0"),
            ("mobilenet-v1-0.25-128", nil, 224, "mobilenet-v1-0.25-128 is built at resolution 128; --resolution 224 cannot be honoured"),
            ("mobilenet-v2-1.0-192", 0.5, nil, "mobilenet-v2-1.0-192 is built at width 1.0; --width 0.5 cannot be honoured"),
        ]
        for (model, width, resolution, message) in refused {
            XCTAssertThrowsError(try ModelSpec.resolve(model: model, width: width, resolution: resolution).get()) {
                XCTAssertEqual("\($0)", message)
            }
        }
    }
}
