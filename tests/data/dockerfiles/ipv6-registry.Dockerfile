FROM [::1]:5000/team/app:1
