{{- define "igw.name" -}}{{ .Release.Name }}-igw{{- end -}}
{{- define "igw.labels" -}}
app.kubernetes.io/name: igw
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end -}}
{{- define "igw.selector" -}}
app.kubernetes.io/name: igw
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}
{{- define "igw.image" -}}{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}{{- end -}}
