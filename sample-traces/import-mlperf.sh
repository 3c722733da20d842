#!/bin/sh
# Rebuilds the imported MLPerf sample traces from the real LoadGen logs in ../shared/realdata
# (or the directory given as $1). Run from the repository root after `swift build`.
set -eu
R=${1:-../shared/realdata}
E=${EDGETOP:-.build/debug/edgetop}
OUT=sample-traces
PHONE=$R/mlperf_mobile_v2.1_asus-rog6_sd8plusgen1_mobilenetedgetpu_singlestream
BERT=$R/mlperf_mobile_v2.1_asus-rog6_sd8plusgen1_mobilebert_singlestream_accuracy_trace
ORIN=$R/mlperf_v3.0_jetson-agx-orin-maxq_resnet50_singlestream
MOBILE="MLPerf Mobile v2.1 results by Qualcomm Innovation Center, mlcommons/mobile_results_v2.1"
ORIN_SRC="MLPerf Inference v3.0 results by NVIDIA, mlcommons/inference_results_v3.0"

"$E" import --force -o $OUT/asus-rog6-mobilenetedgetpu-singlestream.jsonl --model mobilenet-edgetpu \
  --attribution "$MOBILE, closed/Qualcomm_Innovation_Center/results/SD8PG1_Asus_ROG6/mobilenetEdgeTPU/SingleStream/log_performance/ (mlperf_log_detail.txt, mlperf_log_summary.txt, system_SD8PG1_Asus_ROG6.json). Apache License 2.0." \
  $PHONE/mlperf_log_detail.txt $PHONE/mlperf_log_summary.txt $PHONE/system_SD8PG1_Asus_ROG6.json

"$E" import --force -o $OUT/asus-rog6-mobilebert-singlestream.jsonl --model mobilebert \
  --attribution "$MOBILE, closed/Qualcomm_Innovation_Center/results/SD8PG1_Asus_ROG6/mobileBERT/SingleStream/log_accuracy/mlperf_log_trace.json; device from .../SD8PG1_Asus_ROG6/mobilenetEdgeTPU/SingleStream/log_performance/system_SD8PG1_Asus_ROG6.json. Apache License 2.0." \
  $BERT/mlperf_log_trace.json $PHONE/system_SD8PG1_Asus_ROG6.json

"$E" import --force -o $OUT/jetson-agx-orin-maxq-resnet50-singlestream.jsonl --model resnet50 \
  --attribution "$ORIN_SRC, closed/NVIDIA/results/Orin_TRT_MaxQ/resnet50/SingleStream/performance/run_1/ (mlperf_log_detail.txt, spl.txt, system_Orin_TRT_MaxQ.json). Apache License 2.0." \
  $ORIN/mlperf_log_detail.txt $ORIN/spl.txt $ORIN/system_Orin_TRT_MaxQ.json
