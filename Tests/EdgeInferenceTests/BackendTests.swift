@testable import EdgeInference
import EdgeKernels
import XCTest

final class BackendTests: XCTestCase {
    /// The end-to-end bar: int8 against the reference on MobileNet v1 1.0@224.
    func testInt8MatchesTheReferenceOnMobileNetV1At224() {
        let model = PlanFactory.model(.mobileNetV1(width: 1.0, resolution: 224))
        let plan = PlanFactory.plan(for: model, backend: .int8, threads: 1)
        let q = PlanFactory.quality(of: plan)
        XCTAssertGreaterThanOrEqual(q.cosine, 0.999)
        XCTAssertTrue(q.top1Agree)
        // Not trivially equal: the int8 logits do differ from the reference a little.
        XCTAssertLessThan(q.cosine, 1)
    }

    func testInt8RunsAreDeterministicAcrossRunsAndThreadCounts() throws {
        let model = PlanFactory.model(.mobileNetV1(width: 1.0, resolution: 224))
        let one = try XCTUnwrap(PlanFactory.plan(for: model, backend: .int8, threads: 1) as? Int8Plan)
        let two = try XCTUnwrap(PlanFactory.plan(for: model, backend: .int8, threads: 2) as? Int8Plan)
        one.run()
        let first = one.outputBytes()
        one.run()
        XCTAssertEqual(one.outputBytes(), first)
        two.run()
        XCTAssertEqual(two.outputBytes(), first)
        XCTAssertGreaterThan(Set(first).count, 20, "logits should not collapse to a few levels")
    }

    /// The portable Swift kernels and the ones picked for this CPU must agree on a whole
    /// model: byte for byte in int8, to rounding in fp32.
    func testPortableKernelsAgreeWithTheHostKernelsOnWholeModels() {
        let model = PlanFactory.model(.mobileNetV2(resolution: 128))
        let calibration = PlanFactory.calibration(for: model)
        let host = Int8Plan(model: model, calibration: calibration, threads: 2, features: .host)
        let portable = Int8Plan(model: model, calibration: calibration, threads: 2, features: .portable)
        host.run(); portable.run()
        XCTAssertEqual(host.outputBytes(), portable.outputBytes())
        XCTAssertTrue(portable.kernelNames.allSatisfy { !$0.contains("avx") }, "\(portable.kernelNames)")
        let fHost = FP32Plan(model: model, threads: 1, features: .host)
        let fPortable = FP32Plan(model: model, threads: 1, features: .portable)
        fHost.run(); fPortable.run()
        XCTAssertGreaterThan(Quality(logits: fPortable.logits(), reference: fHost.logits()).cosine, 0.999999)
    }

    func testFP32MatchesTheReferenceClosely() {
        for spec in [ModelSpec.mobileNetV1(width: 0.5, resolution: 160), .mobileNetV2(resolution: 128), .resNet18(resolution: 224)] {
            let model = PlanFactory.model(spec)
            for threads in [1, 2] {
                let plan = PlanFactory.plan(for: model, backend: .fp32, threads: threads)
                let q = PlanFactory.quality(of: plan)
                XCTAssertGreaterThan(q.cosine, 0.99999, "\(spec) threads \(threads)")
                XCTAssertTrue(q.top1Agree, "\(spec)")
            }
        }
    }

    func testInt8AgreesOnResidualModels() {
        for spec in [ModelSpec.mobileNetV2(resolution: 128), .resNet18(resolution: 224)] {
            let plan = PlanFactory.plan(for: spec, backend: .int8, threads: 2)
            let q = PlanFactory.quality(of: plan)
            XCTAssertGreaterThan(q.cosine, 0.99, "\(spec)")
            XCTAssertTrue(q.top1Agree, "\(spec)")
            XCTAssertTrue(plan.kernelNames.contains { $0.contains("vadd") }, "\(plan.kernelNames)")
        }
    }

    func testPlansNameTheirKernelsAndProfileEveryLayer() {
        let model = PlanFactory.model(.mobileNetV1(width: 0.25, resolution: 128))
        for backend in Backend.allCases {
            let plan = PlanFactory.plan(for: model, backend: backend, threads: 1)
            XCTAssertEqual(plan.layerKernels.count, model.layers.count)
            XCTAssertFalse(plan.kernelNames.isEmpty)
            XCTAssertEqual(Set(plan.kernelNames).count, plan.kernelNames.count)
            let profile = plan.profile()
            XCTAssertEqual(profile.map(\.name), model.layers.map(\.name))
            XCTAssertEqual(profile.reduce(0) { $0 + $1.macs }, model.macs)
            XCTAssertTrue(profile.allSatisfy { $0.nanoseconds > 0 })
        }
    }

    func testActivationParametersCoverTheRangeAndZero() {
        let relu6 = Int8Plan.activationParams((0, 6))
        XCTAssertEqual(relu6.zeroPoint, 0)
        XCTAssertEqual(relu6.scale, 6 / 255, accuracy: 1e-9)
        let linear = Int8Plan.activationParams((-2, 6))
        XCTAssertEqual(linear.scale, 8 / 255, accuracy: 1e-9)
        XCTAssertEqual(linear.zeroPoint, 64)  // 2 / (8/255) = 63.75
        // A range that excludes zero is widened to include it (padding is the zero point).
        XCTAssertEqual(Int8Plan.activationParams((1, 3)).zeroPoint, 0)
        XCTAssertEqual(Int8Plan.activationParams((-3, -1)).zeroPoint, 255)
        XCTAssertGreaterThan(Int8Plan.activationParams((0, 0)).scale, 0)
        XCTAssertEqual(Int8Plan.clamp(.relu6, relu6).min, 0)
        XCTAssertEqual(Int8Plan.clamp(.relu6, linear).max, 255)
        XCTAssertEqual(Int8Plan.clamp(.relu6, Int8Plan.activationParams((-6, 12))).max, 170)  // zero point 85 + 6 / (18/255)
    }

    func testWeightsQuantizePerChannelSymmetrically() {
        let (q, scales) = Int8Plan.quantizeWeights([0.5, -1, 0.25, 2, 0.01, -0.02], outputs: 2)
        XCTAssertEqual(scales[0], 1 / 127, accuracy: 1e-9)
        XCTAssertEqual(scales[1], 2 / 127, accuracy: 1e-9)
        XCTAssertEqual(q, [64, -127, 32, 127, 1, -1])  // 63.5 rounds to even: 64; 0.635 -> 1
        let (zero, zeroScales) = Int8Plan.quantizeWeights([0, 0], outputs: 1)
        XCTAssertEqual(zero, [0, 0])
        XCTAssertEqual(zeroScales, [1])
        XCTAssertEqual(Int8Plan.quantizeBias([0.5, -0.25], inputScale: 0.5, weightScales: [0.01, 0.1]), [100, -5])
    }

    func testMaxPoolMatchesTheReferenceInFloatAndUInt8() {
        // Channel counts with whole vectors and a tail (16 floats, 64 bytes a vector).
        for channels in [5, 37, 70] {
            var random = SplitMix64(seed: UInt64(channels))
            let shape = TensorShape(height: 9, width: 8, channels: channels)
            let p = MaxPoolLayer(kernel: 3, stride: 2, padTop: 1, padLeft: 1, padBottom: 1, padRight: 1)
            let out = p.outputShape(shape)
            let bytes = (0..<shape.count).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            let input = bytes.map { Float($0) / 8 - 10 }
            let expected = Reference.maxPool(input: input, inputHeight: 9, inputWidth: 8, channels: channels,
                                             poolHeight: 3, poolWidth: 3, strideHeight: 2, strideWidth: 2,
                                             padTop: 1, padLeft: 1, padBottom: 1, padRight: 1)
            var got = [Float](repeating: .nan, count: out.count)
            var gotBytes = [UInt8](repeating: 0, count: out.count)
            let pool = ThreadPool(threads: 2)
            input.withUnsafeBufferPointer { src in
                got.withUnsafeMutableBufferPointer { MaxPool.run(p, input: src.baseAddress!, shape: shape, output: $0.baseAddress!, pool: pool) }
            }
            bytes.withUnsafeBufferPointer { src in
                gotBytes.withUnsafeMutableBufferPointer { MaxPool.run(p, input: src.baseAddress!, shape: shape, output: $0.baseAddress!, pool: pool) }
            }
            XCTAssertEqual(got, expected, "channels \(channels)")
            XCTAssertEqual(gotBytes.map { Float($0) / 8 - 10 }, expected, "channels \(channels)")
        }
    }
}
