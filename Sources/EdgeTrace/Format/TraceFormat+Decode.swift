extension TraceFormat {
    /// What one event line decoded to: an event, or the name of a type this build does not know.
    enum Decoded {
        case event(Event)
        case unknown(type: String)
    }

    /// Decodes the header object; `FieldProblem` on a missing or mistyped member.
    static func decodeHeader(_ value: JSONValue) throws -> TraceHeader {
        let o = try FieldReader(value)
        guard let format = try o.optionalString("format") else {
            throw FieldProblem("not an edgetop trace header: missing field \"format\"")
        }
        guard format == TraceHeader.formatName else {
            throw FieldProblem("not an edgetop trace: format is \"\(format)\", expected \"\(TraceHeader.formatName)\"")
        }
        let version = try o.int("version")
        guard version >= 1, version <= TraceHeader.currentVersion else {
            throw FieldProblem("unknown trace version \(version) (this edgetop reads versions 1 to \(TraceHeader.currentVersion))")
        }
        guard let d = try o.object("device") else { throw FieldProblem("missing field \"device\"") }
        let device = DeviceInfo(cpuModel: try d.string("cpu_model"), cores: try d.int("cores", in: TraceFormat.countRange),
                                os: try d.string("os"), kernel: try d.string("kernel"),
                                hasThermalSensors: try d.bool("thermal_sensors"))
        let sourceName = try o.string("source")
        guard let source = TraceSource(rawValue: sourceName) else {
            throw FieldProblem("field \"source\" should be one of recorded, imported, emulated; found \"\(sourceName)\"")
        }
        var reported: ReportedSummary? = nil
        if let r = try o.object("reported") {
            reported = ReportedSummary(
                tool: try r.string("tool"), scenario: try r.optionalString("scenario"),
                sut: try r.optionalString("sut"), queryCount: try r.optionalInt("query_count", in: 0...Int.max),
                minNs: try r.optionalLatency("min_ns"), maxNs: try r.optionalLatency("max_ns"),
                meanNs: try r.optionalLatency("mean_ns"), qps: try r.optionalDouble("qps", in: TraceFormat.qpsRange),
                percentiles: try r.array("percentiles") { v, path in
                    let p = try FieldReader(v, path: path + ".")
                    return ReportedPercentile(percent: try p.double("percent", in: TraceFormat.percentRange), latencyNs: try p.latency("latency_ns"))
                },
                valid: try r.optionalBool("valid"))
        }
        return TraceHeader(version: version, device: device, source: source,
                           model: try o.optionalString("model"), startTime: try o.string("start_time"),
                           emulationProfile: try o.optionalString("emulation_profile"),
                           attribution: try o.optionalString("attribution"), reported: reported)
    }

    /// Decodes one event object; `FieldProblem` on a missing or mistyped member.
    static func decodeEvent(_ value: JSONValue) throws -> Decoded {
        let o = try FieldReader(value)
        let typeName = try o.string("type")
        guard let type = EventType(rawValue: typeName) else { return .unknown(type: typeName) }
        let t = try o.double("t", in: TraceFormat.timeRange)
        switch type {
        case .inference:
            return .event(.inference(InferenceEvent(
                t: t, backend: try o.string("backend"), model: try o.string("model"),
                latencyNs: try o.latency("latency_ns"), threads: try o.optionalInt("threads", in: TraceFormat.countRange))))
        case .system:
            let load = try o.array("load") { v, path -> CoreLoad in
                let l = try FieldReader(v, path: path + ".")
                return CoreLoad(user: try l.optionalDouble("user", in: TraceFormat.shareRange) ?? 0, nice: try l.optionalDouble("nice", in: TraceFormat.shareRange) ?? 0,
                                system: try l.optionalDouble("system", in: TraceFormat.shareRange) ?? 0, irq: try l.optionalDouble("irq", in: TraceFormat.shareRange) ?? 0,
                                softirq: try l.optionalDouble("softirq", in: TraceFormat.shareRange) ?? 0, steal: try l.optionalDouble("steal", in: TraceFormat.shareRange) ?? 0,
                                iowait: try l.optionalDouble("iowait", in: TraceFormat.shareRange) ?? 0)
            }
            let freq = try o.array("frequency") { v, path -> CoreFrequency in
                let f = try FieldReader(v, path: path + ".")
                return CoreFrequency(curMHz: try f.double("cur_mhz", in: TraceFormat.frequencyRange), maxMHz: try f.optionalDouble("max_mhz", in: TraceFormat.frequencyRange),
                                     governor: try f.optionalString("governor"),
                                     emulated: try f.optionalBool("emulated") ?? false)
            }
            let temps = try o.array("temperatures") { v, path -> Temperature in
                let x = try FieldReader(v, path: path + ".")
                return Temperature(sensor: try x.string("sensor"), celsius: try x.double("celsius", in: TraceFormat.celsiusRange),
                                   passiveC: try x.optionalDouble("passive_c", in: TraceFormat.celsiusRange), criticalC: try x.optionalDouble("critical_c", in: TraceFormat.celsiusRange),
                                   emulated: try x.optionalBool("emulated") ?? false)
            }
            let throttling = try o.array("throttling") { v, path -> String in
                guard let s = v.stringValue else {
                    throw FieldProblem("field \"\(path)\" should be a string, found \(v.typeDescription)")
                }
                return sanitize(s)
            }
            let power = try o.array("power") { v, path -> PowerReading in
                let p = try FieldReader(v, path: path + ".")
                return PowerReading(source: try p.string("source"), watts: try p.double("watts", in: TraceFormat.wattsRange),
                                    emulated: try p.optionalBool("emulated") ?? false)
            }
            return .event(.system(SystemSample(t: t, load: load, frequency: freq, temperatures: temps,
                                               throttling: throttling, power: power)))
        case .config:
            return .event(.config(ConfigChange(
                t: t, backend: try o.optionalString("backend"), model: try o.optionalString("model"),
                threads: try o.optionalInt("threads", in: TraceFormat.countRange), targetFPS: try o.optionalDouble("target_fps", in: TraceFormat.fpsRange),
                paused: try o.optionalBool("paused"))))
        case .quality:
            var q = QualityReport(
                t: t, backend: try o.string("backend"), model: try o.string("model"),
                cosine: try o.double("cosine", in: TraceFormat.cosineRange), top1Agree: try o.bool("top1_agree"),
                accuracy: try decodeAccuracy(o))
            q.agreement = try decodeAgreement(o)
            return .event(.quality(q))
        case .mark:
            return .event(.mark(Mark(t: t, label: try o.string("label"))))
        case .layers:
            return .event(.layers(try decodeLayers(o, t: t)))
        case .processes:
            return .event(.processes(try decodeProcesses(o, t: t)))
        }
    }

    /// The optional image accuracy of a `quality` event: all three counts or none, and
    /// never more hits than images.
    private static func decodeAccuracy(_ o: FieldReader) throws -> ImageAccuracyCount? {
        let images = try o.optionalInt("images"), top1 = try o.optionalInt("top1_correct")
        let top5 = try o.optionalInt("top5_correct")
        if images == nil && top1 == nil && top5 == nil { return nil }
        guard let images, let top1, let top5 else {
            throw FieldProblem("fields \"images\", \"top1_correct\" and \"top5_correct\" go together, found only some")
        }
        guard let count = ImageAccuracyCount(images: images, top1: top1, top5: top5) else {
            throw FieldProblem("image accuracy should have 0 ≤ top1_correct ≤ top5_correct ≤ images, found \(top1), \(top5), \(images)")
        }
        return count
    }

    /// The optional variant agreement of a `quality` event: all three fields or none.
    private static func decodeAgreement(_ o: FieldReader) throws -> ImageAgreementCount? {
        let with = try o.optionalString("agree_with"), images = try o.optionalInt("agree_images")
        let top1 = try o.optionalInt("agree_top1")
        if with == nil && images == nil && top1 == nil { return nil }
        guard let with, let images, let top1 else {
            throw FieldProblem("fields \"agree_with\", \"agree_images\" and \"agree_top1\" go together, found only some")
        }
        guard let count = ImageAgreementCount(with: with, images: images, top1: top1) else {
            throw FieldProblem("agreement should have 0 ≤ agree_top1 ≤ agree_images, found \(top1), \(images)")
        }
        return count
    }

    /// The members of a `layers` event; a count or time that cannot be one is a problem.
    private static func decodeLayers(_ o: FieldReader, t: Double) throws -> LayerProfile {
        let layers = try o.array("layers") { v, path -> LayerSample in
            let x = try FieldReader(v, path: path + ".")
            let macs = try x.int("macs")
            guard macs >= 0 else { throw FieldProblem("field \"\(path).macs\" should not be negative, found \(macs)") }
            guard TraceFormat.macsRange.contains(macs) else {
                throw FieldProblem("field \"\(path).macs\" is out of range: \(macs) (expected 0 to \(TraceFormat.macsRange.upperBound))")
            }
            return LayerSample(name: try x.string("name"), kind: try x.string("kind"), shape: try x.string("shape"),
                               macs: macs, kernel: try x.string("kernel"), ns: try x.latency("ns"))
        }
        let peak = try o.optionalDouble("peak_gmacs", in: 0...TraceFormat.gmacsRange.upperBound)
        if let p = peak, !(p.isFinite && p > 0) {
            throw FieldProblem("field \"peak_gmacs\" should be a positive number, found \(p)")
        }
        return LayerProfile(t: t, backend: try o.string("backend"), model: try o.string("model"),
                            emulated: try o.optionalBool("emulated") ?? false, peakGMACs: peak, layers: layers)
    }

    /// The members of a `processes` event.
    private static func decodeProcesses(_ o: FieldReader, t: Double) throws -> ProcessSample {
        let processes = try o.array("processes") { v, path -> ProcessEntry in
            let x = try FieldReader(v, path: path + ".")
            let cpu = try x.double("cpu", in: 0...TraceFormat.gmacsRange.upperBound)
            guard cpu.isFinite, cpu >= 0 else { throw FieldProblem("field \"\(path).cpu\" should be 0 or more, found \(cpu)") }
            let kindName = try x.optionalString("kind") ?? ProcessEntry.Kind.process.rawValue
            guard let kind = ProcessEntry.Kind(rawValue: kindName) else {
                throw FieldProblem("field \"\(path).kind\" should be one of process, kernel, own; found \"\(kindName)\"")
            }
            return ProcessEntry(pid: try x.int("pid", in: 0...Int(Int32.max)), name: try x.string("name"), cpu: cpu,
                                rssBytes: try x.uint64("rss"), kind: kind)
        }
        let interval = try o.double("interval", in: 0...TraceFormat.timeRange.upperBound)
        guard interval.isFinite, interval > 0 else {
            throw FieldProblem("field \"interval\" should be a positive number of seconds, found \(interval)")
        }
        return ProcessSample(t: t, interval: interval, processes: processes)
    }
}
